import type { FaqLanguage } from './schemas/faq-entry.schema.js';

/** One language's version of a starter topic. */
export interface StarterFaqText {
  question: string;
  answer: string;
  /**
   * Other words people use for the topic (synonyms, Egyptian colloquial words, English words
   * written in Arabic letters): searched like the question, never shown.
   */
  keywords: string[];
}

/** A starter topic, in both languages: two `faq_entries` sharing the `topic`. */
export interface StarterFaqTopic {
  topic: string;
  en: StarterFaqText;
  ar: StarterFaqText;
}

/**
 * The FAQ a new installation starts with (seeded once, on first boot, like the services
 * catalog; staff edit it from there with `/admin/faq`). Written from what the product does with
 * its default settings: if operators change a number (INVITATION_TTL, WITHDRAW_MIN,
 * PLATFORM_FEE_BPS, FEE_DEBT_LIMIT, AUTO_COMPLETE_AFTER, REVIEW_WINDOW, DISPUTE_WINDOW,
 * DISPUTE_RESPONSE_WINDOW, DELETION_GRACE...), staff update the entry that states it.
 *
 * Arabic entries are Modern Standard Arabic in plain wording an Egyptian reader uses; their
 * keywords carry the colloquial words ("فلوس", "صنايعي", "اسحب") and the English ones people
 * type in Arabic letters ("ريفيو", "واليت").
 */
export const STARTER_FAQ: readonly StarterFaqTopic[] = [
  {
    topic: 'how-it-works',
    en: {
      question: 'How does the marketplace work?',
      answer:
        'Post a job describing what you need (the trade, a description, photos and your area). Craftsmen nearby send you quotes, or you invite the craftsmen you like. Compare prices and profiles, accept one quote to hire that craftsman, and chat with him in the app. Pay online into escrow (held until the job is done), pay cash to the craftsman, or pay cash at a Fawry outlet. When the work is finished you mark the job completed, and both of you review each other.',
      keywords: ['start', 'use', 'app', 'platform', 'site', 'guide', 'steps', 'overview'],
    },
    ar: {
      question: 'كيف تعمل المنصة؟',
      answer:
        'انشر طلب شغل تكتب فيه المطلوب (نوع الحرفة والوصف والصور والمنطقة). الحرفيون القريبون يرسلون لك عروض أسعار، أو تدعو أنت الحرفيين الذين يعجبونك. قارن الأسعار والتقييمات، واقبل عرضًا واحدًا لتعيين الحرفي، وتحدث معه من خلال المحادثة في التطبيق. تدفع أونلاين في حساب الضمان (المبلغ محجوز حتى انتهاء الشغل)، أو كاش للحرفي، أو كاش في منفذ فوري. عند انتهاء الشغل تؤكد إتمامه ويقيّم كل منكما الآخر.',
      keywords: ['طريقه', 'الاستخدام', 'التطبيق', 'الموقع', 'خطوات', 'ابدا', 'بيشتغل', 'شرح'],
    },
  },
  {
    topic: 'post-job',
    en: {
      question: 'How do I post a job and find a craftsman?',
      answer:
        'Sign in as a client and create a job: a title, a description, the category (plumbing, electrical, carpentry, painting, AC repair...), your address and location, optional photos and budget, and how you want to pay (escrow, cash or cash at Fawry). The job is open while it waits for quotes; you can edit it while it is open, and craftsmen who already quoted are told about a real change. You can also browse craftsmen by trade and distance and invite them directly.',
      keywords: ['create', 'request', 'order', 'new', 'hire', 'plumber', 'electrician', 'book'],
    },
    ar: {
      question: 'كيف أنشر طلب شغل وألاقي حرفي؟',
      answer:
        'سجّل الدخول كعميل وأنشئ طلبًا: عنوان ووصف ونوع الحرفة (سباكة، كهرباء، نجارة، نقاشة، تكييف...) وعنوانك وموقعك، وصور وميزانية إن أردت، وطريقة الدفع (ضمان أو كاش أو كاش في فوري). يبقى الطلب مفتوحًا لاستقبال العروض، ويمكنك تعديله طالما هو مفتوح، ويُبلَّغ الحرفيون الذين قدموا عروضًا بأي تعديل مهم. ويمكنك أيضًا تصفح الحرفيين حسب الحرفة والمسافة ودعوتهم مباشرة.',
      keywords: [
        'اطلب',
        'طلب',
        'انشر',
        'اضيف',
        'شغلانه',
        'سباك',
        'كهربائي',
        'نجار',
        'نقاش',
        'جديد',
      ],
    },
  },
  {
    topic: 'invite-craftsman',
    en: {
      question: 'How do I invite a craftsman to my job?',
      answer:
        'From your open job, invite a craftsman by his profile, his email or his phone number (up to 20 invitations per job per day, 50 at once in bulk). He is notified and can accept or decline; accepting opens a chat with you and lets him send a quote. If he is not registered yet, an email invitation gives him a link to sign up and answer. You can cancel a pending invitation, or resend it once every 24 hours. A craftsman who declined your job cannot be invited to it again.',
      keywords: ['invitation', 'invite', 'ask', 'send', 'phone', 'email', 'direct', 'request'],
    },
    ar: {
      question: 'كيف أدعو حرفي لطلبي؟',
      answer:
        'من طلبك المفتوح ادعُ الحرفي من صفحته أو ببريده الإلكتروني أو رقم تليفونه (حتى 20 دعوة للطلب الواحد في اليوم، و50 مرة واحدة في الدعوة الجماعية). يصله إشعار فيقبل أو يرفض؛ والقبول يفتح محادثة بينكما ويسمح له بإرسال عرض سعر. وإن لم يكن مسجلًا بعد، تصله دعوة بالإيميل فيها رابط للتسجيل والرد. يمكنك إلغاء الدعوة المعلقة أو إعادة إرسالها مرة كل 24 ساعة. والحرفي الذي رفض طلبك لا يمكن دعوته له مرة أخرى.',
      keywords: ['دعوه', 'دعوات', 'ادعي', 'ابعت', 'انفايت', 'invite', 'ارسل', 'تليفون', 'موبايل'],
    },
  },
  {
    topic: 'invitation-expiry',
    en: {
      question: 'How long is an invitation valid, and what happens when it expires?',
      answer:
        'An invitation stays pending for 30 days after it was sent. The craftsman is reminded 3 days before it runs out; if he has not answered by then it expires, and both you and he are notified. An expired invitation can no longer be accepted, but the client can send it again (it becomes pending anew). Invitations are also cancelled when the job is hired, cancelled or closed.',
      keywords: [
        'expire',
        'expired',
        'validity',
        'days',
        'deadline',
        'no reply',
        'no answer',
        'ignored',
        'unanswered',
      ],
    },
    ar: {
      question: 'مدة صلاحية الدعوة كام، وإيه اللي يحصل لما تنتهي؟',
      answer:
        'تظل الدعوة معلقة 30 يومًا من تاريخ إرسالها. يصل الحرفي تذكير قبل انتهائها بـ 3 أيام، وإن لم يرد تنتهي صلاحيتها ويصل إشعار لك وله. الدعوة المنتهية لا يمكن قبولها، لكن العميل يستطيع إرسالها من جديد فتعود معلقة. كما تُلغى الدعوات عند تعيين حرفي للطلب أو إلغائه.',
      keywords: ['صلاحيه', 'انتهت', 'منتهيه', 'تنتهي', 'مده', 'يوم', 'ايام', 'اكسبير', 'قديمه'],
    },
  },
  {
    topic: 'answer-invitation',
    en: {
      question: 'I am a craftsman: how do I accept or decline an invitation?',
      answer:
        'Your invitations are under Invitations received. Accept to open a chat with the client and send him a quote (the job must still be open); decline with a reason if you like (busy, too far, budget, not my trade). An invitation sent to your email can also be answered from the link in the email. Each invitation can be answered once; after 30 days without an answer it expires.',
      keywords: ['accept', 'reject', 'decline', 'respond', 'answer', 'received', 'refuse', 'busy'],
    },
    ar: {
      question: 'أنا حرفي: كيف أقبل أو أرفض دعوة؟',
      answer:
        'دعواتك موجودة في الدعوات الواردة. اقبل الدعوة لتفتح محادثة مع العميل وترسل له عرض سعر (بشرط أن يكون الطلب ما زال مفتوحًا)، أو ارفضها واذكر السبب إن أردت (مشغول، بعيد، الميزانية، ليست حرفتي). والدعوة التي وصلت على بريدك يمكن الرد عليها من الرابط الموجود في الرسالة. يُرد على كل دعوة مرة واحدة، وإن لم ترد خلال 30 يومًا تنتهي.',
      keywords: ['اقبل', 'قبول', 'ارفض', 'رفض', 'الرد', 'ارد', 'وصلتني', 'مشغول', 'اوافق'],
    },
  },
  {
    topic: 'invite-links',
    en: {
      question: 'Can I share a link to my job with several craftsmen?',
      answer:
        'Yes. From your open job create an invite link: by default it can be used 10 times and is valid for 30 days (you can choose other limits). Any craftsman who opens it and accepts gets an accepted invitation and a chat with you. You can revoke the link at any time; a used-up, revoked or expired link no longer works.',
      keywords: ['link', 'share', 'whatsapp', 'url', 'group', 'revoke', 'several'],
    },
    ar: {
      question: 'هل أقدر أشارك لينك لطلبي مع أكثر من حرفي؟',
      answer:
        'نعم. من طلبك المفتوح أنشئ رابط دعوة: افتراضيًا يُستخدم 10 مرات ويصلح لمدة 30 يومًا (ويمكنك اختيار حدود أخرى). أي حرفي يفتحه ويقبل تصله دعوة مقبولة ومحادثة معك. يمكنك إلغاء الرابط في أي وقت، والرابط المستنفد أو الملغى أو المنتهي لا يعمل.',
      keywords: ['لينك', 'رابط', 'شارك', 'واتساب', 'جروب', 'مشاركه', 'الغي'],
    },
  },
  {
    topic: 'quotes',
    en: {
      question: 'How do quotes work and how do I hire a craftsman?',
      answer:
        'A craftsman sends one quote per job: his price, notes and the days he expects to need. You see all the quotes on your job and accept one: that craftsman is hired, the other quotes are declined and pending invitations cancelled. If you change the job materially (title, description, category or location) after a quote, the craftsman must confirm or update his price before you can accept it.',
      keywords: ['quote', 'offer', 'price', 'bid', 'estimate', 'hire', 'choose', 'accept', 'cost'],
    },
    ar: {
      question: 'عروض الأسعار بتشتغل إزاي، وإزاي أختار حرفي؟',
      answer:
        'يرسل الحرفي عرض سعر واحدًا لكل طلب: السعر والملاحظات وعدد الأيام المتوقع. ترى كل العروض على طلبك وتقبل واحدًا منها، فيُعيَّن ذلك الحرفي وتُرفض باقي العروض وتُلغى الدعوات المعلقة. وإذا عدّلت الطلب تعديلًا مهمًا (العنوان أو الوصف أو الحرفة أو الموقع) بعد وصول عرض، لا بد أن يؤكد الحرفي سعره أو يغيّره قبل أن تقبله.',
      keywords: ['عرض', 'عروض', 'سعر', 'بكام', 'تسعير', 'اختار', 'اعين', 'اقبل', 'تكلفه'],
    },
  },
  {
    topic: 'payment-methods',
    en: {
      question: 'How can I pay for a job?',
      answer:
        'Each job has a payment type, fixed once you hire: escrow (you pay online after hiring, by card, mobile wallet or a Fawry reference, and the money is held until the job is done); cash at Fawry (you pay cash at any Fawry outlet with a reference number, and it is held the same way); or cash (you pay the craftsman directly). An online payment not completed within 48 hours expires and you can start a new one. For escrow and Fawry jobs the craftsman sets out only once your payment is held.',
      keywords: ['pay', 'payment', 'card', 'visa', 'fawry', 'cash', 'wallet', 'method', 'online'],
    },
    ar: {
      question: 'أدفع تمن الشغل إزاي؟',
      answer:
        'لكل طلب طريقة دفع تُثبَّت عند تعيين الحرفي: الضمان (تدفع أونلاين بعد التعيين بالكارت أو المحفظة الإلكترونية أو رقم مرجعي من فوري، ويُحجز المبلغ حتى ينتهي الشغل)، أو كاش في فوري (تدفع كاش في أي منفذ فوري برقم مرجعي، ويُحجز المبلغ بالطريقة نفسها)، أو كاش (تدفع للحرفي مباشرة). الدفع الأونلاين الذي لا يكتمل خلال 48 ساعة ينتهي وتبدأ دفعة جديدة. وفي الضمان وفوري لا يتحرك الحرفي إلا بعد حجز المبلغ.',
      keywords: ['ادفع', 'دفع', 'الدفع', 'فيزا', 'كارت', 'فوري', 'كاش', 'نقدي', 'فلوس', 'محفظه'],
    },
  },
  {
    topic: 'escrow',
    en: {
      question: 'What is escrow and where is my money held?',
      answer:
        'With escrow, what you pay does not go to the craftsman straight away: the platform holds it in a protected escrow account for your job. It is released to the craftsman (minus the platform fee) only when the job is completed, by you or automatically 7 days after he asks you to confirm. If the job is cancelled before the craftsman sets out you get it back in full, and if there is a dispute the money stays held until staff decide.',
      keywords: [
        'escrow',
        'held',
        'hold',
        'kept',
        'keep',
        'safe',
        'protected',
        'guarantee',
        'money',
        'release',
      ],
    },
    ar: {
      question: 'يعني إيه الضمان، وفلوسي بتتحجز فين؟',
      answer:
        'في الضمان لا يذهب ما تدفعه للحرفي مباشرة: تحتفظ به المنصة في حساب ضمان محمي خاص بطلبك. ولا يُحوَّل للحرفي (بعد خصم عمولة المنصة) إلا عند إتمام الشغل، بتأكيدك أو تلقائيًا بعد 7 أيام من طلبه التأكيد. وإذا أُلغي الطلب قبل أن يتحرك الحرفي يُرد لك المبلغ كاملًا، وإذا فُتح نزاع يظل المبلغ محجوزًا حتى يقرر فريق الدعم.',
      keywords: ['ضمان', 'محجوز', 'حجز', 'امان', 'مضمون', 'فلوس', 'مبلغ', 'اسكرو', 'escrow'],
    },
  },
  {
    topic: 'job-completion',
    en: {
      question: 'How is a job marked as completed?',
      answer:
        'When the work is done the craftsman asks you to confirm completion, and you mark the job completed. If you neither confirm nor open a dispute, the job completes automatically 7 days after his request (you are reminded 2 days and 1 day before). Completion releases the escrow to the craftsman, makes a cash job\u2019s fee due, and opens the 14 days for reviews and disputes.',
      keywords: ['complete', 'finish', 'done', 'confirm', 'close', 'automatic', 'auto', 'end'],
    },
    ar: {
      question: 'إزاي الشغل يتقفل ويتأكد إنه خلص؟',
      answer:
        'عند انتهاء الشغل يطلب منك الحرفي تأكيد الإتمام، فتؤكد أن الطلب اكتمل. وإذا لم تؤكد ولم تفتح نزاعًا، يكتمل الطلب تلقائيًا بعد 7 أيام من طلبه (ويصلك تذكير قبلها بيومين وبيوم). الإتمام يحوّل مبلغ الضمان للحرفي، ويجعل عمولة الشغل الكاش مستحقة، ويفتح مدة الـ 14 يومًا للتقييم والنزاعات.',
      keywords: ['خلص', 'خلصت', 'اتمام', 'انتهي', 'تاكيد', 'اقفل', 'تلقائي', 'اكتمل'],
    },
  },
  {
    topic: 'platform-fee',
    en: {
      question: 'How much does the platform charge?',
      answer:
        'Clients pay the craftsman\u2019s quoted price and nothing more. The platform\u2019s commission is 10% of the job price and is paid by the craftsman: on escrow jobs it is deducted when the money is released to his wallet, on cash jobs it becomes a fee he owes. Posting jobs, quoting, inviting and chatting are free.',
      keywords: ['fee', 'commission', 'percent', 'charge', 'cost', 'free', 'deduct', 'cut'],
    },
    ar: {
      question: 'المنصة بتاخد عمولة كام؟',
      answer:
        'العميل يدفع سعر الحرفي المتفق عليه فقط دون أي زيادة. وعمولة المنصة 10% من سعر الشغل ويدفعها الحرفي: في شغل الضمان تُخصم عند تحويل المبلغ لمحفظته، وفي الشغل الكاش تصبح رسومًا مستحقة عليه. نشر الطلبات وعروض الأسعار والدعوات والمحادثات مجانية.',
      keywords: ['عموله', 'نسبه', 'رسوم', 'بتاخدوا', 'خصم', 'مجاني', 'ببلاش', 'كومشن', 'عشره'],
    },
  },
  {
    topic: 'cash-jobs-fee',
    en: {
      question: 'I am a craftsman: how does the fee work on cash jobs?',
      answer:
        'On a cash job the client pays you directly, so when the job completes the platform fee (10% of the price) is recorded as a debt in your wallet (fees owed). Any money that later reaches your wallet pays it first, and you can settle it any time with a top-up. You are reminded 2 and 5 days after; while you owe 500 EGP or more you cannot quote cash jobs and are not recommended for them until you settle.',
      keywords: ['cash', 'fee', 'owe', 'owed', 'debt', 'commission', 'limit', 'blocked', 'settle'],
    },
    ar: {
      question: 'أنا حرفي: العمولة بتتحسب إزاي في الشغل الكاش؟',
      answer:
        'في الشغل الكاش يدفع لك العميل مباشرة، فعند إتمام الطلب تُسجَّل عمولة المنصة (10% من السعر) كمديونية في محفظتك (رسوم مستحقة). أي مبلغ يدخل محفظتك بعد ذلك يسددها أولًا، ويمكنك سدادها في أي وقت بشحن المحفظة. يصلك تذكير بعد يومين و5 أيام، وطالما عليك 500 جنيه أو أكثر لا يمكنك تقديم عروض على الشغل الكاش ولا تظهر في ترشيحاته حتى تسدد.',
      keywords: ['كاش', 'نقدي', 'عموله', 'مديونيه', 'عليا', 'مستحقه', 'ديون', 'اسدد', 'متوقف'],
    },
  },
  {
    topic: 'wallet-balance',
    en: {
      question: 'I am a craftsman: what do the figures in my wallet mean?',
      answer:
        'Your wallet shows your balance, the withdrawable amount (what you have minus fees you owe), pending (withdrawals on their way to you) and fees owed from cash jobs. Escrow payments arrive there when a job completes, minus the platform fee. Every movement is listed in your transactions (escrow releases, fees, withdrawals, top-ups, refunds, adjustments), and you are notified of each.',
      keywords: [
        'wallet',
        'balance',
        'earnings',
        'transactions',
        'history',
        'account',
        'statement',
      ],
    },
    ar: {
      question: 'أنا حرفي: أرقام المحفظة معناها إيه؟',
      answer:
        'تعرض محفظتك رصيدك، والمبلغ القابل للسحب (ما لديك بعد خصم الرسوم المستحقة عليك)، والمعلّق (سحوبات في طريقها إليك)، والرسوم المستحقة من الشغل الكاش. مبالغ الضمان تصل إليها عند إتمام الطلب بعد خصم عمولة المنصة. وكل حركة مسجلة في معاملاتك (تحويلات الضمان والعمولات والسحب والشحن والاسترداد والتسويات) ويصلك إشعار بكل واحدة.',
      keywords: ['محفظه', 'رصيد', 'واليت', 'ارباح', 'معاملات', 'حركات', 'حسابي', 'كشف'],
    },
  },
  {
    topic: 'withdrawals',
    en: {
      question: 'How do I withdraw money from my wallet?',
      answer:
        'Request a withdrawal from your wallet: the amount (at least 50 EGP, up to your withdrawable balance) and where to send it, a bank account (IBAN) or a mobile wallet number. The amount moves to pending at once and is paid out by the end of the 2nd Egyptian business day (Sunday to Thursday, public holidays excluded). If a payout fails, the money returns to your wallet and you are notified.',
      keywords: [
        'withdraw',
        'cash out',
        'payout',
        'transfer',
        'bank',
        'iban',
        'vodafone cash',
        'instapay',
        'minimum',
      ],
    },
    ar: {
      question: 'إزاي أسحب فلوس من المحفظة؟',
      answer:
        'اطلب سحبًا من محفظتك: المبلغ (50 جنيهًا على الأقل وحتى رصيدك القابل للسحب) ووجهة التحويل، حساب بنكي (IBAN) أو رقم محفظة موبايل. يُنقل المبلغ فورًا إلى المعلّق ويُصرف قبل نهاية ثاني يوم عمل في مصر (من الأحد إلى الخميس، عدا الإجازات الرسمية). وإذا فشل التحويل يعود المبلغ لمحفظتك ويصلك إشعار.',
      keywords: ['سحب', 'اسحب', 'تحويل', 'احول', 'بنك', 'فودافون كاش', 'انستاباي', 'اقل', 'فلوسي'],
    },
  },
  {
    topic: 'top-up',
    en: {
      question: 'How do I top up my wallet or pay the fees I owe?',
      answer:
        'From your wallet choose top up, enter an amount and pay online (card, mobile wallet) or with a Fawry reference. When the payment arrives it pays your fees owed first and the rest is added to your balance. Once what you owe is below the limit you can quote cash jobs again.',
      keywords: ['top up', 'topup', 'recharge', 'deposit', 'add money', 'settle', 'fees owed'],
    },
    ar: {
      question: 'إزاي أشحن المحفظة أو أسدد الرسوم اللي عليا؟',
      answer:
        'من محفظتك اختر الشحن، واكتب المبلغ وادفع أونلاين (كارت أو محفظة موبايل) أو برقم مرجعي من فوري. عند وصول الدفعة تسدد الرسوم المستحقة عليك أولًا ويُضاف الباقي لرصيدك. وعندما تقل مديونيتك عن الحد تعود لتقديم عروض على الشغل الكاش.',
      keywords: ['اشحن', 'شحن', 'ايداع', 'اسدد', 'سداد', 'ادفع', 'رصيد', 'توب اب'],
    },
  },
  {
    topic: 'cancel-refund',
    en: {
      question: 'Can I cancel a job, and how do I get a refund?',
      answer:
        'You can cancel for free while the job is open, and also after hiring as long as the craftsman has not set out: anything you paid is refunded in full to the card, wallet or account you paid with (how soon it shows depends on your bank or Fawry). Once the craftsman is on the way you can no longer cancel; open a dispute instead and staff decide on a refund.',
      keywords: ['cancel', 'refund', 'money back', 'return', 'stop', 'reimburse', 'undo'],
    },
    ar: {
      question: 'أقدر ألغي الطلب؟ وإزاي أسترد فلوسي؟',
      answer:
        'يمكنك الإلغاء مجانًا طالما الطلب مفتوح، وكذلك بعد تعيين الحرفي ما دام لم يتحرك إليك بعد: ويُرد كل ما دفعته كاملًا إلى الكارت أو المحفظة أو الحساب الذي دفعت منه (وموعد ظهوره يتوقف على البنك أو فوري). وبعد أن يتحرك الحرفي لا يمكنك الإلغاء، بل تفتح نزاعًا ويقرر فريق الدعم الاسترداد.',
      keywords: ['الغاء', 'الغي', 'استرداد', 'استرجاع', 'ترجع', 'رجوع', 'فلوسي', 'ريفند', 'refund'],
    },
  },
  {
    topic: 'reviews',
    en: {
      question: 'How do reviews and ratings work?',
      answer:
        'After a job completes, the client and the craftsman each have 14 days to rate the other (1 to 5 stars, with an optional comment and a private note only staff read). Reviews are double-blind: yours stays hidden from the other side until both of you have reviewed or the 14 days pass, and then both are published together, so nobody rates in reply. You can edit your review while it is hidden. The rating on a profile is the average of published reviews, and the person reviewed may reply once.',
      keywords: [
        'review',
        'rating',
        'rate',
        'stars',
        'feedback',
        'comment',
        'hidden',
        'blind',
        'see',
        'visible',
      ],
    },
    ar: {
      question: 'التقييمات بتشتغل إزاي؟',
      answer:
        'بعد إتمام الطلب أمام العميل والحرفي 14 يومًا ليقيّم كل منهما الآخر (من 1 إلى 5 نجوم، مع تعليق اختياري وملاحظة خاصة لا يقرؤها إلا فريق الدعم). التقييم مزدوج السرية: يظل تقييمك مخفيًا عن الطرف الآخر حتى يقيّم كلاكما أو تمر الـ 14 يومًا، ثم يُنشر التقييمان معًا، فلا أحد يقيّم ردًا على الآخر. يمكنك تعديل تقييمك طالما هو مخفي. والتقييم الظاهر في الصفحة هو متوسط التقييمات المنشورة، ولصاحبها أن يرد مرة واحدة.',
      keywords: ['تقييم', 'تقييمات', 'نجوم', 'ريفيو', 'رفيو', 'review', 'راي', 'تعليق', 'قيم'],
    },
  },
  {
    topic: 'disputes',
    en: {
      question: 'How do I open a dispute about a job?',
      answer:
        'Either party can open a dispute once the craftsman is hired, and up to 14 days after the job completes: choose a reason (no show, poor quality, incomplete, overcharge, damage, payment, other) and describe the problem. The job is frozen: no money is released and reviews wait. Add evidence (text, messages from your chat, photos or files); the other side is notified and has 48 hours to respond. Staff then decide: release the money to the craftsman, refund the client, split it, or no payment.',
      keywords: [
        'dispute',
        'complaint',
        'problem',
        'issue',
        'claim',
        'conflict',
        'evidence',
        'bad work',
      ],
    },
    ar: {
      question: 'إزاي أفتح نزاع أو شكوى على شغل؟',
      answer:
        'لأي طرف أن يفتح نزاعًا من وقت تعيين الحرفي وحتى 14 يومًا بعد إتمام الطلب: اختر السبب (لم يحضر، جودة سيئة، شغل ناقص، سعر زائد، تلف، الدفع، سبب آخر) واشرح المشكلة. يتجمد الطلب: لا تُحوَّل أي فلوس وتنتظر التقييمات. أضف أدلتك (نص أو رسائل من المحادثة أو صور وملفات)، فيصل الطرف الآخر إشعار وأمامه 48 ساعة للرد. ثم يقرر فريق الدعم: تحويل المبلغ للحرفي، أو رده للعميل، أو تقسيمه، أو بدون دفع.',
      keywords: ['نزاع', 'شكوي', 'اشتكي', 'مشكله', 'خلاف', 'بلاغ', 'دليل', 'وحش', 'مش كويس'],
    },
  },
  {
    topic: 'no-show',
    en: {
      question: 'The craftsman did not show up. What can I do?',
      answer:
        'If you have not paid or he has not set out yet, you can simply cancel the job (a payment is refunded in full) and hire someone else. Once he is marked on the way you cannot cancel: open a dispute with the reason \u201cno show\u201d and add what you have (messages, times). Escrow money stays held until staff decide, who can refund you in full.',
      keywords: [
        'no show',
        'never came',
        'never showed',
        'late',
        'absent',
        'arrive',
        'disappeared',
        'ghosted',
        'waiting',
      ],
    },
    ar: {
      question: 'الحرفي ما جاش في الميعاد، أعمل إيه؟',
      answer:
        'إذا لم تكن دفعت أو لم يتحرك بعد، يمكنك ببساطة إلغاء الطلب (ويُرد أي مبلغ مدفوع كاملًا) وتعيين حرفي آخر. أما بعد أن يصبح الطلب في الطريق فلا يمكن الإلغاء: افتح نزاعًا بسبب "لم يحضر" وأضف ما لديك (الرسائل والمواعيد). يظل مبلغ الضمان محجوزًا حتى يقرر فريق الدعم، ويمكنه رد المبلغ لك كاملًا.',
      keywords: ['جاش', 'ماجاش', 'محضرش', 'اتاخر', 'متاخر', 'غايب', 'ميعاد', 'اختفي', 'مستني'],
    },
  },
  {
    topic: 'craftsman-verification',
    en: {
      question: 'How does a craftsman get verified?',
      answer:
        'In your profile submit your documents (for example your national ID and trade license, as photos or PDF). Your status becomes pending while staff review them, then verified, or rejected with a reason you can fix and resubmit. The documents are private: stored encrypted and shown only to you and the platform\u2019s admins, never to clients.',
      keywords: [
        'verify',
        'verified',
        'verification',
        'documents',
        'id',
        'license',
        'badge',
        'approve',
      ],
    },
    ar: {
      question: 'إزاي الحرفي يوثّق حسابه؟',
      answer:
        'من صفحتك ارفع مستنداتك (مثل البطاقة الشخصية ورخصة المزاولة، صور أو PDF). تصبح حالتك قيد المراجعة حتى يراجعها فريق الإدارة، ثم موثّق، أو مرفوض مع السبب فتصححه وترفعها من جديد. المستندات سرية: تُحفظ مشفرة ولا يراها إلا أنت ومسؤولو المنصة، ولا يراها العملاء أبدًا.',
      keywords: ['توثيق', 'اوثق', 'موثق', 'بطاقه', 'رخصه', 'مستندات', 'اوراق', 'تحقق', 'علامه'],
    },
  },
  {
    topic: 'craftsman-signup',
    en: {
      question: 'How do I join as a craftsman and get jobs?',
      answer:
        'Register with the craftsman role, then complete your profile: your skills (trades from the catalog), a bio, your service radius, portfolio photos and your location. Browse open jobs near you and send quotes, and answer the invitations clients send you. Switch \u201cavailable\u201d off when you are fully booked: you still receive invitations but are ranked last in recommendations. Good ratings, verification and quick answers help clients find you.',
      keywords: [
        'join',
        'register',
        'signup',
        'sign up',
        'craftsman',
        'find work',
        'start',
        'more jobs',
        'skills',
        'profile',
      ],
    },
    ar: {
      question: 'إزاي أشتغل معاكم كحرفي وأجيب شغل؟',
      answer:
        'سجّل بصفة حرفي ثم أكمل صفحتك: حرفك (من قائمة الخدمات)، ونبذة عنك، ونطاق الخدمة، وصور من أعمالك، وموقعك. تصفح الطلبات المفتوحة القريبة منك وأرسل عروض أسعار، ورد على الدعوات التي يرسلها العملاء. أوقف "متاح" عندما تكون مشغولًا: تظل تصلك الدعوات لكنك تأتي في آخر الترشيحات. التقييمات الجيدة والتوثيق والرد السريع تساعد العملاء في الوصول إليك.',
      keywords: ['اشتغل', 'انضم', 'اسجل', 'تسجيل', 'حرفي', 'شغل', 'زباين', 'مهارات', 'بروفايل'],
    },
  },
  {
    topic: 'account-deletion',
    en: {
      question: 'How do I delete my account?',
      answer:
        'From your profile request deletion with your password. It is scheduled 14 days later, and you can cancel it until then. It is refused while money is in your wallet or held for a job, you owe fees, a job is active or a dispute is open: settle those first. On the day, your name, email, phone, pictures, documents and devices are erased; payment records and review ratings stay, attached to an anonymous account, as the law requires for payments.',
      keywords: ['delete', 'remove', 'close', 'account', 'deactivate', 'erase', 'gdpr', 'forget'],
    },
    ar: {
      question: 'إزاي أمسح حسابي؟',
      answer:
        'من صفحتك اطلب حذف الحساب بكلمة المرور. يُجدول الحذف بعد 14 يومًا، ويمكنك إلغاؤه قبل ذلك. ويُرفض الطلب طالما في محفظتك فلوس أو مبلغ محجوز لطلب، أو عليك رسوم، أو عندك طلب جارٍ أو نزاع مفتوح، فسوِّ ذلك أولًا. وفي الموعد تُمحى بياناتك: الاسم والإيميل والتليفون والصور والمستندات والأجهزة، وتبقى سجلات الدفع ودرجات التقييم مرتبطة بحساب مجهول كما يشترط القانون للمدفوعات.',
      keywords: ['امسح', 'مسح', 'حذف', 'احذف', 'الغي', 'اقفل', 'حسابي', 'الحساب', 'نهائي'],
    },
  },
  {
    topic: 'data-export',
    en: {
      question: 'Can I get a copy of my personal data?',
      answer:
        'Yes. From your profile download your data: one JSON file with everything the service holds about you (profile, jobs, quotes, invitations, conversations, reviews, disputes, payments and wallet, notifications, devices and uploads).',
      keywords: ['data', 'export', 'download', 'copy', 'personal', 'privacy', 'information'],
    },
    ar: {
      question: 'أقدر آخد نسخة من بياناتي؟',
      answer:
        'نعم. من صفحتك نزّل بياناتك: ملف JSON واحد فيه كل ما يحتفظ به التطبيق عنك (الصفحة والطلبات والعروض والدعوات والمحادثات والتقييمات والنزاعات والمدفوعات والمحفظة والإشعارات والأجهزة والملفات المرفوعة).',
      keywords: ['بياناتي', 'بيانات', 'نسخه', 'تنزيل', 'نزل', 'خصوصيه', 'معلوماتي'],
    },
  },
  {
    topic: 'password-reset',
    en: {
      question: 'I forgot my password. How do I reset it?',
      answer:
        'On the sign-in screen choose \u201cforgot password\u201d and enter your email: a reset link is emailed to you, valid for 1 hour and usable once. Choose a new password of at least 8 characters. Changing or resetting your password signs you out on every other device. You can sign in with your email or your phone number.',
      keywords: ['password', 'forgot', 'reset', 'login', 'sign in', 'locked', 'change'],
    },
    ar: {
      question: 'نسيت كلمة السر، أعمل إيه؟',
      answer:
        'من شاشة الدخول اختر "نسيت كلمة المرور" واكتب بريدك: يصلك رابط لإعادة التعيين صالح لمدة ساعة ولمرة واحدة. اختر كلمة مرور جديدة من 8 حروف على الأقل. تغيير كلمة المرور أو إعادة تعيينها يُخرجك من كل الأجهزة الأخرى. ويمكنك الدخول بالإيميل أو برقم التليفون.',
      keywords: ['باسورد', 'الباسورد', 'كلمه', 'السر', 'المرور', 'نسيت', 'دخول', 'ادخل', 'اغير'],
    },
  },
  {
    topic: 'email-verification',
    en: {
      question: 'How do I verify my email address?',
      answer:
        'After you register we email you a verification link, valid for 2 days: open it and your email is verified. If it did not arrive (check spam), ask for a new one from the app, up to 3 times an hour. Email invitations sent to your address reach your craftsman account only once you have verified it.',
      keywords: [
        'email',
        'verify',
        'confirm',
        'verification',
        'link',
        'resend',
        'spam',
        'activate',
      ],
    },
    ar: {
      question: 'إزاي أأكد الإيميل بتاعي؟',
      answer:
        'بعد التسجيل نرسل لك رابط تأكيد على بريدك صالحًا لمدة يومين: افتحه فيتأكد بريدك. وإن لم يصل (راجع الرسائل غير المرغوبة/السبام) اطلب رابطًا جديدًا من التطبيق، حتى 3 مرات في الساعة. والدعوات المرسلة على بريدك لا تصل لحسابك كحرفي إلا بعد تأكيده.',
      keywords: ['ايميل', 'الايميل', 'بريد', 'تاكيد', 'اكد', 'تفعيل', 'رابط', 'سبام', 'وصلش'],
    },
  },
  {
    topic: 'contact-support',
    en: {
      question: 'How do I contact customer support?',
      answer:
        'Use the contact form on the website or in the app: your name, your email and your message. It goes to our support team, who answer you by email. For a problem with a specific job (a craftsman who did not come, bad work, a payment), opening a dispute on the job is faster, since staff then see the job, the chat and the money.',
      keywords: [
        'contact',
        'support',
        'help',
        'customer service',
        'talk',
        'human',
        'person',
        'agent',
        'call',
        'email us',
      ],
    },
    ar: {
      question: 'إزاي أتواصل مع خدمة العملاء؟',
      answer:
        'استخدم نموذج التواصل في الموقع أو التطبيق: اسمك وبريدك ورسالتك. تصل رسالتك لفريق الدعم ويرد عليك بالإيميل. ولمشكلة في طلب بعينه (حرفي لم يحضر، شغل سيئ، دفع) فتح نزاع على الطلب أسرع، لأن فريق الدعم يرى حينها الطلب والمحادثة والمبلغ.',
      keywords: ['تواصل', 'اكلم', 'كلم', 'الدعم', 'خدمه', 'العملاء', 'مساعده', 'رقم', 'اتصل'],
    },
  },
  {
    topic: 'account-banned',
    en: {
      question: 'Why was my account suspended?',
      answer:
        'Staff suspend accounts that break the rules (fraud, abuse, spam). A suspended account cannot sign in, and the sign-in error shows the reason and date. A suspended craftsman\u2019s pending quotes are withdrawn and his invitations cancelled; a suspended client\u2019s open jobs are closed. If you think it is a mistake, write to support through the contact form.',
      keywords: ['banned', 'ban', 'suspended', 'blocked', 'locked', 'disabled', 'stopped'],
    },
    ar: {
      question: 'ليه حسابي اتوقف؟',
      answer:
        'يوقف فريق الإدارة الحسابات التي تخالف القواعد (احتيال، إساءة، رسائل مزعجة). الحساب الموقوف لا يستطيع الدخول، وتظهر رسالة الدخول السبب والتاريخ. وعند إيقاف حرفي تُسحب عروضه المعلقة وتُلغى دعواته، وعند إيقاف عميل تُغلق طلباته المفتوحة. وإذا رأيت أنه خطأ فراسل الدعم من نموذج التواصل.',
      keywords: ['اتقفل', 'اتوقف', 'موقوف', 'محظور', 'بان', 'اتبند', 'حظر', 'ايقاف', 'اتعمل'],
    },
  },
  {
    topic: 'address-privacy',
    en: {
      question: 'Who can see my address and location?',
      answer:
        'Your exact address and location are shown only to the craftsman you hired and to staff. Other craftsmen browsing open jobs see an approximate area (within about 1 km) and a rounded distance. A craftsman\u2019s own location is likewise shown to clients only approximately. Your email and phone number never appear on your public profile.',
      keywords: [
        'address',
        'location',
        'where i live',
        'home',
        'privacy',
        'private',
        'map',
        'phone',
        'visible',
      ],
    },
    ar: {
      question: 'مين يقدر يشوف عنواني ومكاني؟',
      answer:
        'عنوانك وموقعك بالضبط لا يظهران إلا للحرفي الذي عيّنته ولفريق الإدارة. الحرفيون الآخرون الذين يتصفحون الطلبات المفتوحة يرون منطقة تقريبية (في حدود كيلومتر تقريبًا) ومسافة مقربة. وكذلك موقع الحرفي يظهر للعملاء تقريبيًا. وبريدك ورقم تليفونك لا يظهران أبدًا في صفحتك العامة.',
      keywords: [
        'عنواني',
        'عنوان',
        'مكاني',
        'ساكن',
        'بيتي',
        'لوكيشن',
        'موقع',
        'خصوصيه',
        'يشوف',
        'خريطه',
      ],
    },
  },
  {
    topic: 'notifications',
    en: {
      question: 'How do I manage notifications?',
      answer:
        'You are notified in the app, by push on your phone and by email: new invitations and quotes, hiring, job status changes, messages, payments and wallet changes, reviews and disputes. In the notification settings choose, for each kind of event, whether you want it in the app, by push and by email.',
      keywords: [
        'notification',
        'notifications',
        'push',
        'alerts',
        'email',
        'settings',
        'mute',
        'stop',
      ],
    },
    ar: {
      question: 'إزاي أتحكم في الإشعارات؟',
      answer:
        'تصلك الإشعارات داخل التطبيق وعلى موبايلك (push) وبالإيميل: الدعوات والعروض الجديدة والتعيين وتغير حالة الطلب والرسائل والمدفوعات وحركات المحفظة والتقييمات والنزاعات. ومن إعدادات الإشعارات اختر لكل نوع إن كنت تريده في التطبيق أو كإشعار على الموبايل أو بالإيميل.',
      keywords: ['اشعارات', 'اشعار', 'نوتيفيكيشن', 'تنبيهات', 'رسايل', 'اعدادات', 'اقفل', 'ازعاج'],
    },
  },
  {
    topic: 'chat',
    en: {
      question: 'How do I message a craftsman or a client?',
      answer:
        'A chat opens between a client and a craftsman when the craftsman accepts an invitation (or an invite link). Your conversations are listed by latest activity and new messages arrive live. Keep job arrangements in the chat: messages can be added as evidence if a dispute is opened later.',
      keywords: ['chat', 'message', 'messages', 'talk', 'conversation', 'contact', 'write'],
    },
    ar: {
      question: 'إزاي أكلم الحرفي أو العميل في شات؟',
      answer:
        'تُفتح محادثة بين العميل والحرفي عندما يقبل الحرفي دعوة (أو رابط دعوة). تظهر محادثاتك مرتبة حسب آخر نشاط وتصل الرسائل الجديدة فورًا. اتفق على تفاصيل الشغل داخل المحادثة: فالرسائل يمكن إضافتها كدليل إذا فُتح نزاع لاحقًا.',
      keywords: ['شات', 'محادثه', 'رساله', 'رسايل', 'اكلم', 'اتكلم', 'اكتب', 'دردشه'],
    },
  },
];

/** One `faq_entries` document to seed: a topic in one language. */
export interface StarterFaqEntry extends StarterFaqText {
  topic: string;
  language: FaqLanguage;
}

/** `STARTER_FAQ` as entries, English then Arabic per topic. */
export function starterFaqEntries(): StarterFaqEntry[] {
  return STARTER_FAQ.flatMap(({ topic, en, ar }) => [
    { topic, language: 'en' as const, ...en },
    { topic, language: 'ar' as const, ...ar },
  ]);
}
