import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Sharp } from 'sharp';
import { FilesErrors } from './files.errors.js';
import { UploadPurpose } from './schemas/upload.schema.js';

// libvips' cache holds decoded images between calls: a server handling unrelated uploads gains
// nothing from it and would keep tens of MB per image
sharp.cache(false);

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
const PDF = 'application/pdf';

/** The types each purpose accepts, decided from the bytes (API.md "Files"). */
export const ACCEPTED_TYPES: Record<UploadPurpose, readonly string[]> = {
  [UploadPurpose.ProfilePicture]: IMAGE_TYPES,
  [UploadPurpose.JobPhoto]: IMAGE_TYPES,
  [UploadPurpose.Portfolio]: IMAGE_TYPES,
  [UploadPurpose.VerificationDoc]: [...IMAGE_TYPES, PDF],
  [UploadPurpose.DisputeEvidence]: [...IMAGE_TYPES, PDF],
};

/**
 * How images of each purpose are resized: profile pictures cropped to 400×400 (the seed, 7.2
 * "Image Upload"), the others fitted inside a bounded box and never enlarged.
 */
const IMAGE_SIZES: Record<
  UploadPurpose,
  { width: number; height: number; fit: 'cover' | 'inside' }
> = {
  [UploadPurpose.ProfilePicture]: { width: 400, height: 400, fit: 'cover' },
  [UploadPurpose.JobPhoto]: { width: 2048, height: 2048, fit: 'inside' },
  [UploadPurpose.Portfolio]: { width: 2048, height: 2048, fit: 'inside' },
  [UploadPurpose.VerificationDoc]: { width: 4096, height: 4096, fit: 'inside' },
  [UploadPurpose.DisputeEvidence]: { width: 4096, height: 4096, fit: 'inside' },
};

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  [PDF]: 'pdf',
};

/** The extension a stored object of this type gets (its key's suffix). */
export function extensionOf(contentType: string): string {
  return EXTENSIONS[contentType] ?? 'bin';
}

/** The type a stored object's key names (`GET /files/...` serves it with it). */
export function contentTypeOfExtension(extension: string): string | undefined {
  return Object.entries(EXTENSIONS).find(([, ext]) => ext === extension)?.[0];
}

/** What is stored for an accepted file. */
export interface ProcessedContent {
  body: Buffer;
  contentType: string;
  width: number | null;
  height: number | null;
}

/**
 * Decides a file's type from its bytes and makes it safe to store: images decoded under a pixel
 * limit, auto-oriented, stripped of all metadata (EXIF, GPS, ICC comments: sharp keeps none
 * unless told to) and resized for their purpose; PDFs are stored as they came.
 *
 * @throws UNSUPPORTED_MEDIA_TYPE (415) when the bytes are of a type the purpose doesn't take
 *   (an HTML or SVG file named `.png` included), or an image can't be decoded
 * @throws IMAGE_TOO_LARGE (413) when the image declares more than `maxPixels` pixels: checked
 *   from its header before anything is decoded, so a decompression bomb costs nothing
 */
export async function processUpload(
  purpose: UploadPurpose,
  input: Buffer,
  maxPixels: number,
): Promise<ProcessedContent> {
  const accepted = ACCEPTED_TYPES[purpose];
  const detected = await fileTypeFromBuffer(input);
  if (!detected || !accepted.includes(detected.mime)) {
    throw FilesErrors.unsupportedType(accepted);
  }
  if (detected.mime === PDF) {
    return { body: input, contentType: PDF, width: null, height: null };
  }
  return processImage(purpose, input, detected.mime, maxPixels);
}

async function processImage(
  purpose: UploadPurpose,
  input: Buffer,
  contentType: string,
  maxPixels: number,
): Promise<ProcessedContent> {
  const metadata = await sharp(input, { limitInputPixels: false })
    .metadata()
    .catch(() => {
      throw FilesErrors.unreadableImage();
    });
  if (!metadata.width || !metadata.height) {
    throw FilesErrors.unreadableImage();
  }
  const frameHeight = metadata.pageHeight ?? metadata.height;
  if (metadata.width * frameHeight > maxPixels) {
    throw FilesErrors.imageTooLarge(maxPixels);
  }
  const size = IMAGE_SIZES[purpose];
  const pipeline = sharp(input, { limitInputPixels: maxPixels, failOn: 'error' })
    .rotate()
    .resize({ ...size, withoutEnlargement: size.fit === 'inside' });
  const { data, info } = await encode(pipeline, contentType)
    .toBuffer({ resolveWithObject: true })
    .catch(() => {
      throw FilesErrors.unreadableImage();
    });
  return { body: data, contentType, width: info.width, height: info.height };
}

/** Re-encodes in the type it came in (a GIF keeps its first frame only). */
function encode(pipeline: Sharp, contentType: string): Sharp {
  switch (contentType) {
    case 'image/png':
      return pipeline.png();
    case 'image/gif':
      return pipeline.gif();
    case 'image/webp':
      return pipeline.webp({ quality: 85 });
    default:
      return pipeline.jpeg({ quality: 85, mozjpeg: true });
  }
}
