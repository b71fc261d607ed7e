import { isMongoId, isURL, ValidateBy, type ValidationOptions } from 'class-validator';

/** Where the local store's public files are served: the URLs it hands out are paths. */
const LOCAL_PUBLIC_PATH = /^\/api\/files\/public\/[a-z_]+\/[0-9a-f]{24}\.[a-z]{3,4}$/;

/** Longest URL taken (the de facto browser limit). */
const MAX_URL_LENGTH = 2083;

/**
 * An image in a list the API keeps (job `photos`, `portfolioImageUrls`, `profilePicture`): the
 * id of the caller's upload (24 hex digits), a URL our storage handed out (absolute, or a path
 * under `/api/files/public/` for the local store: what an app saving back the list it was shown
 * sends), or an http(s) URL given before uploads existed.
 */
export function IsImageReference(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isImageReference',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          value.length <= MAX_URL_LENGTH &&
          (isMongoId(value) ||
            LOCAL_PUBLIC_PATH.test(value) ||
            isURL(value, { require_tld: false, protocols: ['http', 'https'] })),
        defaultMessage: () =>
          '$property must hold upload ids (POST /uploads) or http(s) URLs of images',
      },
    },
    options,
  );
}
