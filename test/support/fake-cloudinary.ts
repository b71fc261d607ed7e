import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Parameters Cloudinary leaves out of the string to sign, besides `signature` itself. */
const UNSIGNED_PARAMS = new Set(['file', 'cloud_name', 'resource_type', 'api_key', 'signature']);

/** How old a signed request's `timestamp` may be (Cloudinary answers "Stale request"), s. */
const STALE_AFTER_S = 60 * 60;

/**
 * Cloudinary's request signature, as "Generating authentication signatures"
 * (https://cloudinary.com/documentation/authentication_signatures) describes it: every
 * parameter except `file`, `cloud_name`, `resource_type` and `api_key` (and empty ones), sorted
 * by name, as `name=value` joined with `&`, the API secret appended, then the SHA-1 (or SHA-256)
 * hex digest. Values are used as sent (ours never contain `&`, which the SDK's signature
 * version 2 escapes as `%26`).
 *
 * @returns 40 hex digits (SHA-1) or 64 (SHA-256)
 */
export function cloudinarySignature(
  params: Record<string, string>,
  apiSecret: string,
  algorithm: 'sha1' | 'sha256' = 'sha1',
): string {
  const toSign = Object.entries(params)
    .filter(([name, value]) => !UNSIGNED_PARAMS.has(name) && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return createHash(algorithm).update(`${toSign}${apiSecret}`).digest('hex');
}

/** An asset the fake holds, as Cloudinary names it. */
export interface FakeCloudinaryAsset {
  resourceType: 'image' | 'raw';
  /** Delivery type: `upload` (public), `private` or `authenticated`. */
  type: string;
  publicId: string;
  /** Images: the format read from the bytes (`png`, `webp`…); raw: undefined. */
  format?: string;
  bytes: Buffer;
  /** Unix seconds; grows with each overwrite. */
  version: number;
}

/** One request the fake received. */
export interface FakeCloudinaryRequest {
  method: string;
  /** Without the query. */
  path: string;
  status: number;
}

interface Answer {
  status: number;
  body: Buffer | Record<string, unknown>;
  headers?: Record<string, string>;
}

const API_PATH = /^\/v1_1\/([^/]+)\/(image|raw|video|auto)\/(upload|destroy|download)$/;
const DELIVERY_PATH = /^\/([^/]+)\/(image|raw)\/([a-z]+)\/(?:v(\d+)\/)?(.+)$/;

/**
 * The parts of Cloudinary that `CloudinaryStorageDriver` reaches through the `cloudinary` SDK,
 * as a real HTTP server on 127.0.0.1 (give the driver its origin as `apiUrl`), bytes in memory:
 * - Upload API (https://cloudinary.com/documentation/image_upload_api_reference):
 *   `POST /v1_1/<cloud>/<image|raw>/upload` (multipart, the file as a part; `public_id`, `type`,
 *   `overwrite`) and `POST /v1_1/<cloud>/<image|raw>/destroy` (`{ result: 'ok' | 'not found' }`);
 *   both signed: a wrong `api_key` or `signature` gets 401, a `timestamp` over an hour old 400.
 *   An `image` upload must be an image (PNG, JPEG, GIF, WebP or PDF by its bytes), else 400
 *   "Invalid image file", as at Cloudinary;
 * - the signed download endpoint `GET /v1_1/<cloud>/<type>/download?public_id&format&type&…`
 *   (what `cloudinary.utils.private_download_url` builds): the original bytes, 404 if none;
 * - delivery `GET /<cloud>/<image|raw>/upload/v<n>/<public id>[.<format>]` (the SDK's URL with
 *   `cname` set to this host): `upload` assets only; any other type gets 401, as an unsigned URL
 *   of an authenticated asset does. Formats are never converted: a delivery in another format
 *   than the stored one gets 400 with `x-cld-error`, where Cloudinary would convert.
 */
export class FakeCloudinary {
  readonly cloudName: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Every asset held, by `<resource type>/<type>/<public id>`. */
  readonly assets = new Map<string, FakeCloudinaryAsset>();
  /** Every request received, oldest first. */
  readonly requests: FakeCloudinaryRequest[] = [];

  private lastVersion = 0;
  private server?: Server;

  constructor(options: { cloudName?: string; apiKey?: string; apiSecret?: string } = {}) {
    this.cloudName = options.cloudName ?? 'fake-cloud';
    this.apiKey = options.apiKey ?? String(100_000_000_000 + (randomBytes(4).readUInt32BE() % 1e9));
    this.apiSecret = options.apiSecret ?? randomBytes(20).toString('base64url');
  }

  /** Listens on a free port of 127.0.0.1. @returns its origin, the driver's `apiUrl` */
  async start(): Promise<{ apiUrl: string }> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        respond(response, { status: 500, body: { error: { message: String(error) } } });
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { apiUrl: `http://127.0.0.1:${port}` };
  }

  /** Closes the server and the SDK's kept-alive sockets. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The asset under that name, if held. */
  asset(resourceType: string, type: string, publicId: string): FakeCloudinaryAsset | undefined {
    return this.assets.get(assetKey(resourceType, type, publicId));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const answer = await this.answer(request, url);
    this.requests.push({ method: request.method ?? '', path: url.pathname, status: answer.status });
    respond(response, answer);
  }

  private async answer(request: IncomingMessage, url: URL): Promise<Answer> {
    const api = API_PATH.exec(url.pathname);
    if (api) {
      const [, cloud, resourceType, action] = api;
      if (cloud !== this.cloudName) {
        return apiError(401, `Invalid cloud_name ${cloud}`);
      }
      if (action === 'download' && request.method === 'GET') {
        return this.download(resourceType, Object.fromEntries(url.searchParams));
      }
      if (request.method === 'POST' && action !== 'download') {
        const params = parseMultipart(request.headers['content-type'], await readBody(request));
        if (!params) {
          return apiError(400, 'Expected a multipart/form-data body');
        }
        return action === 'upload'
          ? this.upload(resourceType, params)
          : this.destroy(resourceType, params);
      }
      return apiError(404, 'Not found');
    }
    const delivery = DELIVERY_PATH.exec(url.pathname);
    if (delivery && request.method === 'GET') {
      return this.deliver(delivery);
    }
    return apiError(404, 'Not found');
  }

  private upload(resourceType: string, params: Record<string, string | Buffer>): Answer {
    const file = params.file;
    const fields = textFields(params);
    const refusal = this.authenticate(fields);
    if (refusal) {
      return refusal;
    }
    if (!Buffer.isBuffer(file)) {
      return apiError(400, 'Missing required parameter - file');
    }
    if (resourceType !== 'image' && resourceType !== 'raw') {
      return apiError(400, `The fake stores image and raw assets, not ${resourceType}`);
    }
    const format = resourceType === 'image' ? imageFormat(file) : undefined;
    if (resourceType === 'image' && !format) {
      return apiError(400, 'Invalid image file');
    }
    const type = fields.type || 'upload';
    const publicId = fields.public_id || randomBytes(10).toString('hex');
    const key = assetKey(resourceType, type, publicId);
    const existing = this.assets.get(key);
    if (existing && fields.overwrite === '0') {
      return { status: 200, body: { ...this.describe(existing), existing: true } };
    }
    const asset: FakeCloudinaryAsset = {
      resourceType,
      type,
      publicId,
      format,
      bytes: Buffer.from(file),
      version: this.nextVersion(),
    };
    this.assets.set(key, asset);
    return { status: 200, body: this.describe(asset) };
  }

  private destroy(resourceType: string, params: Record<string, string | Buffer>): Answer {
    const fields = textFields(params);
    const refusal = this.authenticate(fields);
    if (refusal) {
      return refusal;
    }
    const key = assetKey(resourceType, fields.type || 'upload', fields.public_id ?? '');
    return { status: 200, body: { result: this.assets.delete(key) ? 'ok' : 'not found' } };
  }

  private download(resourceType: string, params: Record<string, string>): Answer {
    const refusal = this.authenticate(params);
    if (refusal) {
      return refusal;
    }
    if (params.expires_at && Number(params.expires_at) < nowSeconds()) {
      return apiError(401, 'URL expired');
    }
    const asset = this.asset(resourceType, params.type || 'upload', params.public_id ?? '');
    if (!asset) {
      return apiError(404, `Resource not found - ${params.public_id}`);
    }
    if (asset.format && params.format && params.format !== asset.format) {
      return apiError(400, `The fake cannot convert ${asset.format} to ${params.format}`);
    }
    return { status: 200, body: asset.bytes, headers: { 'content-type': contentTypeOf(asset) } };
  }

  private deliver([, cloud, resourceType, type, , rest]: RegExpExecArray): Answer {
    if (cloud !== this.cloudName) {
      return deliveryError(404, `Unknown cloud ${cloud}`);
    }
    const dot = rest.lastIndexOf('.');
    const [publicId, format] =
      resourceType === 'image' && dot > rest.lastIndexOf('/')
        ? [rest.slice(0, dot), rest.slice(dot + 1)]
        : [rest, undefined];
    const asset = this.asset(resourceType, type, decodeURIComponent(publicId));
    if (!asset) {
      return deliveryError(404, 'Resource not found');
    }
    if (type !== 'upload') {
      return deliveryError(401, `An unsigned URL of a ${type} asset`);
    }
    if (asset.format && format && format !== asset.format) {
      return deliveryError(400, `The fake cannot convert ${asset.format} to ${format}`);
    }
    return { status: 200, body: asset.bytes, headers: { 'content-type': contentTypeOf(asset) } };
  }

  /** The signed request's check: the account's api_key, a fresh timestamp, the signature. */
  private authenticate(params: Record<string, string>): Answer | undefined {
    if (params.api_key !== this.apiKey) {
      return apiError(401, `Unknown API key ${params.api_key ?? ''}`);
    }
    const timestamp = Number(params.timestamp);
    if (!Number.isInteger(timestamp)) {
      return apiError(400, 'Missing required parameter - timestamp');
    }
    if (timestamp < nowSeconds() - STALE_AFTER_S) {
      return apiError(400, `Stale request - reported time is ${timestamp}`);
    }
    const expected = cloudinarySignature(params, this.apiSecret);
    if (params.signature !== expected) {
      return apiError(401, 'Invalid Signature');
    }
    return undefined;
  }

  /** An upload's answer, with Cloudinary's field names (a subset). */
  private describe(asset: FakeCloudinaryAsset): Record<string, unknown> {
    const file = asset.format ? `${asset.publicId}.${asset.format}` : asset.publicId;
    const path = `${this.cloudName}/${asset.resourceType}/${asset.type}/v${asset.version}/${file}`;
    return {
      asset_id: createHash('md5')
        .update(assetKey(asset.resourceType, asset.type, asset.publicId))
        .digest('hex'),
      public_id: asset.publicId,
      version: asset.version,
      // https://cloudinary.com/documentation/response_signatures
      signature: createHash('sha1')
        .update(`public_id=${asset.publicId}&version=${asset.version}${this.apiSecret}`)
        .digest('hex'),
      format: asset.format,
      resource_type: asset.resourceType,
      type: asset.type,
      bytes: asset.bytes.length,
      created_at: new Date(asset.version * 1000).toISOString(),
      url: `http://res.cloudinary.com/${path}`,
      secure_url: `https://res.cloudinary.com/${path}`,
    };
  }

  private nextVersion(): number {
    this.lastVersion = Math.max(this.lastVersion + 1, nowSeconds());
    return this.lastVersion;
  }
}

function assetKey(resourceType: string, type: string, publicId: string): string {
  return `${resourceType}/${type}/${publicId}`;
}

/** The format Cloudinary would report for these bytes, by their signature; undefined: not an image. */
function imageFormat(bytes: Buffer): string | undefined {
  const ascii = (start: number, end: number) => bytes.subarray(start, end).toString('latin1');
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'png';
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'jpg';
  }
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') {
    return 'gif';
  }
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') {
    return 'webp';
  }
  if (ascii(0, 5) === '%PDF-') {
    return 'pdf';
  }
  return undefined;
}

function contentTypeOf(asset: FakeCloudinaryAsset): string {
  switch (asset.format) {
    case 'jpg':
      return 'image/jpeg';
    case 'pdf':
      return 'application/pdf';
    case undefined:
      return 'application/octet-stream';
    default:
      return `image/${asset.format}`;
  }
}

function textFields(params: Record<string, string | Buffer>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/**
 * A multipart/form-data body (RFC 7578) as fields: text parts as strings, parts with a
 * `filename` as their bytes. Undefined when the content type names no boundary.
 */
function parseMultipart(
  contentType: string | undefined,
  body: Buffer,
): Record<string, string | Buffer> | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/.exec(contentType ?? '');
  if (!contentType?.startsWith('multipart/form-data') || !boundary) {
    return undefined;
  }
  const delimiter = Buffer.from(`\r\n--${boundary[1] ?? boundary[2]}`);
  const data = Buffer.concat([Buffer.from('\r\n'), body]);
  const fields: Record<string, string | Buffer> = {};
  let at = data.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (data.subarray(start, start + 2).toString() === '--') {
      break;
    }
    const next = data.indexOf(delimiter, start);
    const part = data.subarray(start + 2, next < 0 ? data.length : next);
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const name = /name="([^"]*)"/.exec(headers)?.[1];
    if (name !== undefined) {
      fields[name] = /filename="/.test(headers) ? content : content.toString('utf8');
    }
    at = next;
  }
  return fields;
}

function apiError(status: number, message: string): Answer {
  return { status, body: { error: { message } } };
}

/** Cloudinary's delivery errors: an empty body and the reason in `x-cld-error`. */
function deliveryError(status: number, reason: string): Answer {
  return { status, body: Buffer.alloc(0), headers: { 'x-cld-error': reason } };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function respond(response: ServerResponse, answer: Answer): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const isBytes = Buffer.isBuffer(answer.body);
  const body = isBytes ? answer.body : Buffer.from(JSON.stringify(answer.body));
  response.writeHead(answer.status, {
    'content-type': isBytes ? 'application/octet-stream' : 'application/json; charset=utf-8',
    ...answer.headers,
    'content-length': String(body.length),
  });
  response.end(body);
}
