import { FaqIndex, type IndexedFaqEntry } from './faq-index.js';

const ENTRIES: IndexedFaqEntry[] = [
  {
    id: 'w-en',
    topic: 'withdrawals',
    language: 'en',
    question: 'How do I withdraw money from my wallet?',
    answer: 'Request a withdrawal to a bank account or a mobile wallet, at least 50 EGP.',
    keywords: ['payout', 'cash out'],
  },
  {
    id: 'w-ar',
    topic: 'withdrawals',
    language: 'ar',
    question: 'إزاي أسحب فلوس من المحفظة؟',
    answer: 'اطلب سحبًا إلى حساب بنكي أو محفظة موبايل، 50 جنيهًا على الأقل.',
    keywords: ['سحب', 'تحويل'],
  },
  {
    id: 'r-en',
    topic: 'reviews',
    language: 'en',
    question: 'How do reviews work?',
    answer: 'Both sides rate each other within 14 days; reviews stay hidden until both are in.',
    keywords: ['rating', 'stars'],
  },
  {
    id: 'r-ar',
    topic: 'reviews',
    language: 'ar',
    question: 'التقييمات بتشتغل إزاي؟',
    answer: 'يقيّم كل طرف الآخر خلال 14 يومًا، ويظل التقييم مخفيًا حتى يقيّم الاثنان.',
    keywords: ['تقييم', 'نجوم'],
  },
  {
    id: 'e-en',
    topic: 'escrow',
    language: 'en',
    question: 'Where is my money held?',
    answer: 'The platform holds your payment in escrow until the job completes.',
    keywords: ['escrow', 'held'],
  },
];

const OPTIONS = { language: 'en' as const, limit: 3, minScore: 0 };

describe(FaqIndex.name, () => {
  const index = new FaqIndex(ENTRIES);

  it('should hold one document per topic', () => {
    expect(index.size).toBe(3);
  });

  it('should rank the topic that answers the question first, with a score of 1 for a full match', () => {
    const [best] = index.ask('how to withdraw money from my wallet', OPTIONS);

    expect(best?.entry.id).toBe('w-en');
    expect(best?.score).toBe(1);
  });

  it('should answer in the asker’s language, matching the topic through the other language too', () => {
    const [arabic] = index.ask('ازاي اسحب فلوسي', { ...OPTIONS, language: 'ar' });
    const [mixed] = index.ask('ازاي اعمل payout', { ...OPTIONS, language: 'ar' });

    expect(arabic?.entry.id).toBe('w-ar');
    expect(mixed?.entry.id).toBe('w-ar');
  });

  it('should fall back to the topic’s other language when it lacks the asker’s', () => {
    const [best] = index.ask('escrow', { ...OPTIONS, language: 'ar' });

    expect(best?.entry.id).toBe('e-en');
  });

  it('should find words with typos and other spellings', () => {
    expect(index.ask('widthraw', OPTIONS)[0]?.entry.topic).toBe('withdrawals');
    expect(index.ask('التقيمات', { ...OPTIONS, language: 'ar' })[0]?.entry.topic).toBe('reviews');
  });

  it('should score between 0 and 1, best first', () => {
    const matches = index.ask('money held in my wallet', OPTIONS);

    expect(matches.length).toBeGreaterThan(1);
    for (const match of matches) {
      expect(match.score).toBeGreaterThan(0);
      expect(match.score).toBeLessThanOrEqual(1);
    }
    expect(matches.map((match) => match.score)).toEqual(
      [...matches.map((match) => match.score)].sort((a, b) => b - a),
    );
  });

  it('should score a question partly about something else lower than one fully answered', () => {
    const full = index.ask('withdraw money', OPTIONS)[0];
    const partial = index.ask('withdraw money football tickets', OPTIONS)[0];

    expect(partial.entry.topic).toBe('withdrawals');
    expect(partial.score).toBeLessThan(full.score);
  });

  it('should find nothing for words it does not know, nor for function words only', () => {
    expect(index.ask('zxqv blorptang', OPTIONS)).toEqual([]);
    expect(index.ask('how do I', OPTIONS)).toEqual([]);
  });

  it('should leave out matches under the minimum score and keep at most `limit`', () => {
    const all = index.ask('money', { ...OPTIONS, limit: 10 });
    const floor = all[0].score;

    expect(index.ask('money', { ...OPTIONS, limit: 1 })).toHaveLength(1);
    expect(index.ask('money', { ...OPTIONS, limit: 10, minScore: floor + 0.001 })).toEqual([]);
  });

  it('should answer nothing when it holds no entry', () => {
    expect(new FaqIndex([]).ask('withdraw', OPTIONS)).toEqual([]);
  });
});
