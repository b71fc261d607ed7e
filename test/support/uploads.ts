import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { Session } from './session.js';
import type { TestApp } from './test-app.js';

/** A marker written into images' EXIF: found in a stored file, metadata was kept. */
export const EXIF_MARKER = 'exif-marker-30.0444N-31.2357E';

/**
 * A JPEG of `width`×`height` as a phone writes it: EXIF with a description holding
 * `EXIF_MARKER` and, when given, an orientation tag (6: rotate 90° to show it upright).
 */
export async function jpegWithExif(
  width: number,
  height: number,
  orientation?: number,
): Promise<Buffer> {
  let image = sharp({
    create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } },
  })
    .jpeg()
    .withExif({ IFD0: { ImageDescription: EXIF_MARKER, Copyright: EXIF_MARKER } });
  if (orientation) {
    image = image.withMetadata({ orientation });
  }
  return image.toBuffer();
}

export async function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: '#3366cc' } })
    .png()
    .toBuffer();
}

/**
 * A few-KB PNG that declares `width`×`height` pixels: a valid header and the zlib stream of a
 * handful of blank rows, so decoding it whole would need width×height×4 bytes.
 */
export function pngBomb(width = 20_000, height = 20_000): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = deflateSync(Buffer.alloc((width * 4 + 1) * 8));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) {
      crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A small valid PDF whose text holds `marker` (to look for it in the stored bytes). */
export function pdf(marker: string): Buffer {
  const stream = `BT /F1 12 Tf 72 712 Td (${marker}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

export interface UploadOptions {
  purpose: string;
  bytes: Buffer;
  filename?: string;
  contentType?: string;
}

/** `POST /api/uploads` as a browser's form sends it; the supertest response. */
export function upload(t: TestApp, who: Session, options: UploadOptions) {
  return t.http
    .post('/api/uploads')
    .set('Authorization', who.bearer)
    .field('purpose', options.purpose)
    .attach('file', options.bytes, {
      filename: options.filename ?? 'photo.jpg',
      contentType: options.contentType ?? 'image/jpeg',
    });
}

/** Uploads and answers the new upload's id (201 expected). */
export async function uploaded(t: TestApp, who: Session, options: UploadOptions): Promise<string> {
  const response = await upload(t, who, options).expect(201);
  return (response.body as { id: string }).id;
}

/** GETs a path or URL of the app's and answers the body's bytes. */
export function bytesAt(t: TestApp, path: string, who?: Session) {
  const request = t.http
    .get(path)
    .buffer(true)
    .parse(binaryParser as unknown as Parameters<ReturnType<TestApp['http']['get']>['parse']>[0]);
  return who ? request.set('Authorization', who.bearer) : request;
}

function binaryParser(
  response: NodeJS.ReadableStream,
  done: (error: Error | null, body: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
}

/**
 * The `docs` of `POST /users/craftsman/verification` for `craftsman`: one national ID, uploaded
 * as his own private `verification_doc`.
 */
export async function verificationDocs(
  t: TestApp,
  craftsman: Session,
  docType = 'national_id',
): Promise<Array<{ docType: string; fileId: string }>> {
  const fileId = await uploaded(t, craftsman, {
    purpose: 'verification_doc',
    bytes: pdf(`${docType} of ${craftsman.user.id}`),
    filename: 'document.pdf',
    contentType: 'application/pdf',
  });
  return [{ docType, fileId }];
}

/**
 * `craftsman` submits one uploaded national ID for verification (201 expected): his
 * verification is then `pending`, for staff to decide.
 */
export async function submitVerification(t: TestApp, craftsman: Session): Promise<void> {
  await t.http
    .post('/api/users/craftsman/verification')
    .set('Authorization', craftsman.bearer)
    .send({ docs: await verificationDocs(t, craftsman) })
    .expect(201);
}
