import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsString, validateSync } from 'class-validator';
import mongoose from 'mongoose';
import {
  codePointLength,
  fitsTextLimit,
  TextLength,
  textLengthValidator,
  truncateText,
} from './text-length.js';

const EMOJI = '😀'; // one code point, two UTF-16 units

class Note {
  @IsString()
  @TextLength({ min: 1, max: 4 })
  text!: string;
}

const NoteSchema = new mongoose.Schema({
  text: { type: String, validate: textLengthValidator({ min: 1, max: 4 }) },
});
const NoteModel = mongoose.model('TextLengthSpecNote', NoteSchema);

/** What the request check (DTO) and the stored check (schema) each say about `text`. */
async function verdicts(text: string): Promise<{ request: boolean; schema: boolean }> {
  const request = validateSync(plainToInstance(Note, { text })).length === 0;
  const schema = await new NoteModel({ text }).validate().then(
    () => true,
    () => false,
  );
  return { request, schema };
}

describe('text-length', () => {
  it('should count code points: an emoji is one, a lone surrogate is one', () => {
    expect(codePointLength('')).toBe(0);
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength(EMOJI.repeat(3))).toBe(3);
    expect(codePointLength(`a${EMOJI}b`)).toBe(3);
    expect(codePointLength('\ud83d')).toBe(1);
    expect(codePointLength('❤️')).toBe(2); // U+2764 and the variation selector U+FE0F
  });

  it('should decide limits in code points, at both ends', () => {
    expect(fitsTextLimit(EMOJI.repeat(4), { max: 4 })).toBe(true);
    expect(fitsTextLimit(EMOJI.repeat(5), { max: 4 })).toBe(false);
    expect(fitsTextLimit('x'.repeat(5), { max: 4 })).toBe(false);
    expect(fitsTextLimit(EMOJI, { min: 2, max: 4 })).toBe(false);
    expect(fitsTextLimit(EMOJI.repeat(2), { min: 2, max: 4 })).toBe(true);
  });

  it.each([
    ['4 emoji', EMOJI.repeat(4), true],
    ['5 emoji', EMOJI.repeat(5), false],
    ['4 letters', 'abcd', true],
    ['5 letters', 'abcde', false],
    ['a heart with its variation selector, twice (4 code points)', '❤️❤️', true],
    ['empty', '', false],
  ])(
    'should give the same verdict on the request and in the schema: %s',
    async (_name, text, fits) => {
      expect(await verdicts(text)).toEqual({ request: fits, schema: fits });
    },
  );

  it('should name the limit in the request’s message', () => {
    const [error] = validateSync(plainToInstance(Note, { text: EMOJI.repeat(5) }));
    expect(error.constraints).toEqual({ textLength: 'text must be 1 to 4 characters long' });
  });

  it('should truncate without splitting a surrogate pair', () => {
    expect(truncateText(EMOJI.repeat(3), 2)).toBe(EMOJI.repeat(2));
    expect(truncateText(`ab${EMOJI}`, 3)).toBe(`ab${EMOJI}`);
    expect(truncateText(`a${EMOJI}b`, 1)).toBe('a');
    expect(truncateText('short', 10)).toBe('short');
  });
});
