import { hasArabicLetters, lightStemArabic, normalizeArabic } from './arabic-normalizer.js';

describe(normalizeArabic.name, () => {
  it('should fold the alef forms أ إ آ ٱ to ا', () => {
    expect(normalizeArabic('أسحب إلغاء آخر ٱلله')).toBe('اسحب الغاء اخر الله');
  });

  it('should fold ى to ي and ة to ه', () => {
    expect(normalizeArabic('على المحفظة')).toBe('علي المحفظه');
  });

  it('should fold the hamza seats ؤ and ئ, and Persian ی and ک', () => {
    expect(normalizeArabic('مسؤول سائق یوم کتاب')).toBe('مسوول سايق يوم كتاب');
  });

  it('should remove tatweel and diacritics (U+064B–U+065F, superscript alef)', () => {
    expect(normalizeArabic('فـــلوس')).toBe('فلوس');
    expect(normalizeArabic('مُحَفَّظَةٌ')).toBe('محفظه');
    expect(normalizeArabic('هٰذا')).toBe('هذا');
  });

  it('should turn Arabic-Indic and Eastern Arabic-Indic digits into ASCII digits', () => {
    expect(normalizeArabic('٥٠ جنيه و ۱۴ يوم')).toBe('50 جنيه و 14 يوم');
  });

  it('should turn Arabic punctuation into its Latin counterpart', () => {
    expect(normalizeArabic('فين، ازاي؛ ليه؟')).toBe('فين, ازاي; ليه?');
  });

  it('should collapse a letter held down three times or more, and keep doubled letters', () => {
    expect(normalizeArabic('فلووووس')).toBe('فلوس');
    expect(normalizeArabic('ممكن')).toBe('ممكن');
  });

  it('should fold a doubled ya to one', () => {
    expect(normalizeArabic('التقييمات')).toBe(normalizeArabic('التقيمات'));
  });

  it('should fold presentation forms (NFKC) and lower-case Latin letters', () => {
    expect(normalizeArabic('\uFEFB')).toBe('لا');
    expect(normalizeArabic('ازاي اعمل REFUND')).toBe('ازاي اعمل refund');
  });

  it('should give spellings of one word the same result', () => {
    const spellings = ['المحفظة', 'المحفظه', 'الـمـحـفـظـة', 'المَحْفَظَة'];
    expect(new Set(spellings.map(normalizeArabic)).size).toBe(1);
  });
});

describe(lightStemArabic.name, () => {
  it('should strip the joined article and conjunctions', () => {
    expect(lightStemArabic('الفلوس')).toBe('فلوس');
    expect(lightStemArabic('والفلوس')).toBe('فلوس');
    expect(lightStemArabic('بالفلوس')).toBe('فلوس');
    expect(lightStemArabic('للحرفي')).toBe('حرف');
  });

  it('should strip pronoun endings', () => {
    expect(lightStemArabic('فلوسي')).toBe('فلوس');
    expect(lightStemArabic('فلوسك')).toBe('فلوس');
    expect(lightStemArabic('فلوسكم')).toBe('فلوس');
  });

  it('should strip the Egyptian continuous and future verb prefixes', () => {
    expect(lightStemArabic('بتتحجز')).toBe('تحجز');
    expect(lightStemArabic('هيتحجز')).toBe('تحجز');
  });

  it('should strip the Egyptian negation م…ش', () => {
    expect(lightStemArabic('ماوصلش')).toBe('وصل');
  });

  it('should leave short words and words that are not Arabic alone', () => {
    expect(lightStemArabic('سحب')).toBe('سحب');
    expect(lightStemArabic('refund')).toBe('refund');
  });
});

describe(hasArabicLetters.name, () => {
  it('should tell Arabic text from Latin text', () => {
    expect(hasArabicLetters('ازاي اعمل refund')).toBe(true);
    expect(hasArabicLetters('refund')).toBe(false);
  });
});
