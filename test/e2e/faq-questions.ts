/**
 * The FAQ assistant's accuracy set (issue 18): 40 questions phrased the way people ask them,
 * typos, Egyptian colloquial Arabic and Arabic mixed with English included, each with the
 * `topic` of the starter entry that answers it (src/modules/faq/starter-faq.ts). Written from
 * the questions, not from the FAQ's wording: none is an entry's question, and the FAQ's
 * keywords are synonyms of a topic, not these sentences.
 *
 * faq.e2e-spec.ts asks each through `GET /api/faq/ask` and requires the expected topic among
 * the first three answers for at least 90% of them (top-1 and top-3 in bench/RESULTS.md).
 */
export interface FaqQuestion {
  q: string;
  topic: string;
  /** How it is asked: English (with typos), Egyptian Arabic, or the two mixed. */
  kind: 'en' | 'ar' | 'mixed';
}

export const FAQ_QUESTIONS: readonly FaqQuestion[] = [
  // English, typos included
  { kind: 'en', topic: 'withdrawals', q: 'how do i get my money out of the wallet' },
  { kind: 'en', topic: 'withdrawals', q: 'widthraw to vodafone cash how long does it take' },
  { kind: 'en', topic: 'escrow', q: 'wher is my money kept until the plumber finishes' },
  {
    kind: 'en',
    topic: 'invitation-expiry',
    q: 'what happens if the craftsman never replies to my invite',
  },
  { kind: 'en', topic: 'cancel-refund', q: 'can i cancel after hiring and get my mony back?' },
  { kind: 'en', topic: 'platform-fee', q: 'whats the comission you take' },
  { kind: 'en', topic: 'cash-jobs-fee', q: 'i did a cash job, why do I owe you money' },
  { kind: 'en', topic: 'no-show', q: 'plumber never came what do i do' },
  { kind: 'en', topic: 'reviews', q: 'why cant i see the review the client left me' },
  { kind: 'en', topic: 'disputes', q: 'I want to complain about bad work' },
  { kind: 'en', topic: 'password-reset', q: 'forgot my pasword' },
  { kind: 'en', topic: 'payment-methods', q: 'can i pay with fawry' },
  { kind: 'en', topic: 'craftsman-verification', q: 'how to become verified craftsman' },
  {
    kind: 'en',
    topic: 'email-verification',
    q: 'i never got the email to confirm my address',
  },
  { kind: 'en', topic: 'job-completion', q: 'job finished but client not confirming' },
  { kind: 'en', topic: 'contact-support', q: 'is there a way to talk to a real person' },
  { kind: 'en', topic: 'account-banned', q: 'my account got blocked' },
  { kind: 'en', topic: 'address-privacy', q: 'can other workers see my home address' },
  { kind: 'en', topic: 'notifications', q: 'too many notificatons, how to turn them off' },
  {
    kind: 'en',
    topic: 'craftsman-signup',
    q: "i'm an electrician, how do I start getting jobs here",
  },
  { kind: 'en', topic: 'data-export', q: 'download all my data' },

  // Egyptian Arabic
  { kind: 'ar', topic: 'withdrawals', q: 'ازاي اسحب فلوسي' },
  { kind: 'ar', topic: 'escrow', q: 'الفلوس بتتحجز فين' },
  { kind: 'ar', topic: 'no-show', q: 'الصنايعي ماجاش اعمل ايه' },
  { kind: 'ar', topic: 'platform-fee', q: 'عمولتكم كام في الميه' },
  { kind: 'ar', topic: 'top-up', q: 'ازاي اشحن المحفظه عشان اسدد العموله' },
  { kind: 'ar', topic: 'invitation-expiry', q: 'الدعوه بتفضل كام يوم' },
  { kind: 'ar', topic: 'quotes', q: 'ازاي اختار بين العروض اللي جاتلي' },
  { kind: 'ar', topic: 'disputes', q: 'عندي مشكله مع العميل مش راضي يدفع' },
  { kind: 'ar', topic: 'password-reset', q: 'نسيت الباسورد' },
  { kind: 'ar', topic: 'account-deletion', q: 'عايز امسح الاكونت بتاعي' },
  { kind: 'ar', topic: 'payment-methods', q: 'ازاي ادفع بالفيزا' },
  { kind: 'ar', topic: 'invite-craftsman', q: 'ازاي ابعت دعوة لسباك معين' },
  { kind: 'ar', topic: 'address-privacy', q: 'الصنايعيه التانيين هيعرفوا انا ساكن فين؟' },
  { kind: 'ar', topic: 'cash-jobs-fee', q: 'هو انا ليه ممنوع اقدم على شغل كاش' },

  // Arabic and English mixed
  { kind: 'mixed', topic: 'cancel-refund', q: 'ازاي اعمل refund' },
  { kind: 'mixed', topic: 'disputes', q: 'ازاي اعمل dispute على الشغل' },
  { kind: 'mixed', topic: 'wallet-balance', q: 'الـ wallet بتاعتي فيها pending يعني ايه' },
  { kind: 'mixed', topic: 'invite-links', q: 'ينفع ابعت link الشغلانة على الواتس لكذا صنايعي' },
  { kind: 'mixed', topic: 'answer-invitation', q: 'how to accept الدعوة اللي جاتلي' },
];
