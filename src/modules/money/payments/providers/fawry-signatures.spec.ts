import { describe, expect, it } from '@jest/globals';
import {
  fawryAmount,
  fawryChargeSignature,
  fawryNotificationSignature,
  fawryRefundSignature,
  fawrySignatureMatches,
  fawryStatusSignature,
  piastresFromFawry,
} from './fawry-signatures.js';

/**
 * Merchant code, order number and secure key of the PHP sample on Fawry's Get Payment Status V2
 * page (https://developer.fawrystaging.com/docs/payment-notifications/get-payment-status-v2).
 * Fawry prints no digest for them: the expected digests below were computed apart from this
 * code, with coreutils (`printf '%s' "<concatenation>" | sha256sum`).
 */
const DOCS = {
  merchantCode: '1tSa6uxz2nTwlaAmt38enA==',
  merchantRefNumber: '23124654641',
  secureKey: '259af31fc2f74453b3a55739b21ae9ef',
};

describe(fawryAmount.name, () => {
  it.each([
    [12345, '123.45'],
    [2010, '20.10'],
    [100, '1.00'],
    [5, '0.05'],
    [0, '0.00'],
    [100_000_000, '1000000.00'],
  ])('should write %d piastres as "%s"', (piastres, text) => {
    expect(fawryAmount(piastres)).toBe(text);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])(
    'should refuse %d piastres',
    (piastres) => {
      expect(() => fawryAmount(piastres)).toThrow(RangeError);
    },
  );
});

describe(piastresFromFawry.name, () => {
  it.each<[number | string, number]>([
    ['123.45', 12345],
    ['150.00', 15000],
    ['20.1', 2010],
    ['7', 700],
    [' 0.05 ', 5],
    ['10.500', 1050],
    [20.1, 2010],
    [840, 84000],
    [0.07, 7],
    [1.1, 110],
    [4.35, 435],
    [0, 0],
  ])('should read %p as %d piastres', (value, piastres) => {
    expect(piastresFromFawry(value)).toBe(piastres);
  });

  it('should be exact where float arithmetic drifts', () => {
    // 4.35 * 100 === 434.99999999999994
    expect(piastresFromFawry(4.35)).toBe(435);
    expect(piastresFromFawry('1234567890123.99')).toBe(123456789012399);
  });

  it.each<number | string>([
    '10.005',
    '-1.00',
    '1,000.00',
    '1e3',
    '',
    'abc',
    '.5',
    1e21,
    -3,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '99999999999999999.00',
  ])('should refuse %p', (value) => {
    expect(() => piastresFromFawry(value)).toThrow(RangeError);
  });
});

describe(fawryChargeSignature.name, () => {
  it("should match the PAYATFAWRY charge vector of the fawry-api/fawry gem's spec", () => {
    // https://github.com/fawry-api/fawry spec/spec_helper.rb: `params` → `fawry_params.signature`
    expect(
      fawryChargeSignature({
        merchantCode: 'merchant_code',
        merchantRefNum: 'io5jxf3jp27kfh8m719arcqgw7izo7db',
        customerProfileId: 'ocvsydvbu2gcp528wvl64i9z5srdalg5',
        paymentMethod: 'PAYATFAWRY',
        amount: 2050,
        secureKey: 'fawry_secure_key',
      }),
    ).toBe('68a1ff1e7189137f1b3c98784399b3adc49bd644d159593a8ed2fc70a810bd7b');
  });

  it('should sign merchantCode + merchantRefNum + customerProfileId + method + amount + key', () => {
    // printf '%s' '1tSa6uxz2nTwlaAmt38enA==23124654641777777PAYATFAWRY362.50259af31f…' | sha256sum
    expect(
      fawryChargeSignature({
        ...DOCS,
        merchantRefNum: DOCS.merchantRefNumber,
        customerProfileId: '777777',
        paymentMethod: 'PAYATFAWRY',
        amount: 36250,
      }),
    ).toBe('2e7235c9922bf7a5c906ade04c67af1e048c5aac9e293d1fa7cdc28c9cef6d0c');
  });

  it('should sign an absent customerProfileId as the empty string', () => {
    const base = { ...DOCS, merchantRefNum: 'p-1', paymentMethod: 'CARD', amount: 100 };
    expect(fawryChargeSignature(base)).toBe(
      fawryChargeSignature({ ...base, customerProfileId: '' }),
    );
  });

  it('should sign each field: a different method or amount is a different signature', () => {
    const base = { ...DOCS, merchantRefNum: 'p-1', paymentMethod: 'CARD', amount: 100 };
    const signature = fawryChargeSignature(base);
    expect(fawryChargeSignature({ ...base, paymentMethod: 'MWALLET' })).not.toBe(signature);
    expect(fawryChargeSignature({ ...base, amount: 101 })).not.toBe(signature);
    expect(fawryChargeSignature({ ...base, secureKey: 'another key' })).not.toBe(signature);
  });
});

describe(fawryStatusSignature.name, () => {
  it("should sign the inputs of Fawry's Status V2 sample as merchantCode + ref + key", () => {
    // printf '%s' '1tSa6uxz2nTwlaAmt38enA==23124654641259af31fc2f74453b3a55739b21ae9ef' | sha256sum
    expect(fawryStatusSignature(DOCS)).toBe(
      '3733ce7536d69e4b705d6239846303a27fe1951f648a7d2dda830c862a918316',
    );
  });
});

describe(fawryRefundSignature.name, () => {
  it("should match the refund vector of the fawry-api/fawry gem's spec (no reason)", () => {
    // https://github.com/fawry-api/fawry spec/spec_helper.rb: `refund_params` → signature
    expect(
      fawryRefundSignature({
        merchantCode: 'merchant_code',
        referenceNumber: '931337410',
        refundAmount: 2050,
        secureKey: 'fawry_secure_key',
      }),
    ).toBe('3ddbaf9457ed9b5f6e048e1775ff7eaccd477070e31cf28a90d879e8f9689323');
  });

  it('should sign merchantCode + referenceNumber + amount + reason + key', () => {
    // printf '%s' '1tSa6uxz2nTwlaAmt38enA==9990076204362.50defective item259af31f…' | sha256sum
    expect(
      fawryRefundSignature({
        merchantCode: DOCS.merchantCode,
        referenceNumber: '9990076204',
        refundAmount: 36250,
        reason: 'defective item',
        secureKey: DOCS.secureKey,
      }),
    ).toBe('ef4c25bba4f1c903cc6dea81432b81bbb29fa8cff0a13de46ee64fc62cc27200');
    // printf '%s' '1tSa6uxz2nTwlaAmt38enA==9990076204362.50259af31f…' | sha256sum
    expect(
      fawryRefundSignature({
        merchantCode: DOCS.merchantCode,
        referenceNumber: '9990076204',
        refundAmount: 36250,
        secureKey: DOCS.secureKey,
      }),
    ).toBe('5c4cac612aac7d1ebc2920fe7920ce4c7e2caf3c82cadd1709605819fe0ca280');
  });
});

describe(fawryNotificationSignature.name, () => {
  const notification = {
    fawryRefNumber: '9990076204',
    merchantRefNumber: DOCS.merchantRefNumber,
    paymentAmount: 2000,
    orderAmount: 2000,
    orderStatus: 'PAID',
    paymentMethod: 'PAYATFAWRY',
    secureKey: DOCS.secureKey,
  };

  it('should sign ref + merchant ref + amounts + status + method + payment reference + key', () => {
    // printf '%s' '99900762042312465464120.0020.00PAIDPAYATFAWRY9990076204259af31f…' | sha256sum
    expect(
      fawryNotificationSignature({ ...notification, paymentRefrenceNumber: '9990076204' }),
    ).toBe('6cd9eab2cd2c39579d689c0a7d0bf9bda23a89da88618fd479fc127fe6f84c05');
  });

  it('should leave an absent paymentRefrenceNumber out of the signed text', () => {
    // printf '%s' '99900762042312465464120.0020.00PAIDPAYATFAWRY259af31f…' | sha256sum
    expect(fawryNotificationSignature(notification)).toBe(
      '34123dfd3e0a4c89d90364ac36c141c0f171bb48abcd3400046a7ba7e6523ac2',
    );
  });
});

describe(fawrySignatureMatches.name, () => {
  const expected = '34123dfd3e0a4c89d90364ac36c141c0f171bb48abcd3400046a7ba7e6523ac2';

  it('should accept the same signature, in either hex case', () => {
    expect(fawrySignatureMatches(expected, expected)).toBe(true);
    expect(fawrySignatureMatches(expected, expected.toUpperCase())).toBe(true);
  });

  it.each<unknown>([
    undefined,
    null,
    '',
    42,
    expected.slice(0, -1),
    `${expected.slice(0, -1)}3`,
    `${expected}00`,
  ])('should refuse %p', (received) => {
    expect(fawrySignatureMatches(expected, received)).toBe(false);
  });
});
