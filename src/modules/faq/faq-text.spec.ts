import { languageOf, stemEnglish, termOf, termsOf, tokenize } from './faq-text.js';

describe('FAQ text analysis', () => {
  describe(tokenize.name, () => {
    it('should split on anything but letters and digits, after normalising', () => {
      expect(tokenize('Where’s my money?! الفلوس، فين')).toEqual([
        'where',
        's',
        'my',
        'money',
        'الفلوس',
        'فين',
      ]);
    });
  });

  describe(stemEnglish.name, () => {
    it('should strip plural and verb endings of longer words', () => {
      expect(stemEnglish('payments')).toBe('payment');
      expect(stemEnglish('reviewing')).toBe('review');
      expect(stemEnglish('penalties')).toBe('penalty');
      expect(stemEnglish('fees')).toBe('fee');
    });

    it('should leave words ending in ss or us, and short words, alone', () => {
      expect(stemEnglish('address')).toBe('address');
      expect(stemEnglish('status')).toBe('status');
      expect(stemEnglish('pay')).toBe('pay');
    });
  });

  describe(termOf.name, () => {
    it('should drop function words of English, Standard and Egyptian Arabic', () => {
      expect(['how', 'the', 'ازاي', 'عايز', 'فين', 'ال'].map(termOf)).toEqual([
        null,
        null,
        null,
        null,
        null,
        null,
      ]);
    });

    it('should fold spellings of one word to one term', () => {
      expect(termOf('paid')).toBe(termOf('pay'));
      expect(termOf('withdrawal')).toBe(termOf('withdraw'));
      expect(termOf('الصنايعي')).toBe(termOf('حرفي'));
    });
  });

  describe(termsOf.name, () => {
    it('should give the distinct terms of a mixed question', () => {
      expect(termsOf('ازاي اعمل refund للفلوس بتاعتي؟ refund!')).toEqual(['refund', 'فلوس']);
    });
  });

  describe(languageOf.name, () => {
    it('should take the script most letters are in, Arabic when mixed about evenly', () => {
      expect(languageOf('how do I withdraw')).toBe('en');
      expect(languageOf('ازاي اسحب فلوسي')).toBe('ar');
      expect(languageOf('ازاي اعمل refund')).toBe('ar');
      expect(languageOf('how to withdraw from my محفظة please')).toBe('en');
    });

    it('should read Arabic typed in presentation forms (some keyboards, text copied from PDFs) as Arabic', () => {
      expect(languageOf('ﻛﻴﻒ ﺍﺩﻓﻊ')).toBe('ar');
    });
  });
});
