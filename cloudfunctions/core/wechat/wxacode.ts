/**
 * Mini-program codes with a scene (POST /wxa/getwxacodeunlimit): unlimited in
 * number, which is why checkout QR codes use them. PNG bytes on success.
 */
import { DomainError, errors } from '../domain/errors.js';
import type { AccessTokens } from './access-token.js';
import { mapErrcodes, type OpenApiClient } from './openapi-client.js';

export type EnvVersion = 'release' | 'trial' | 'develop';

export interface UnlimitedCodeRequest {
  /** ≤ 32 visible characters: letters, digits and !#$&'()*+,/:;=?@-._~ */
  scene: string;
  /** e.g. pages/claim/index */
  page: string;
  /** 280–1280 px, WeChat's default 430 when absent. */
  width?: number;
}

export interface WxacodeDeps {
  client: OpenApiClient;
  tokens: AccessTokens;
  envVersion: EnvVersion;
}

const PATH = '/wxa/getwxacodeunlimit';
const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@._~-]{1,32}$/;

const pageInvalid = () =>
  new DomainError('WXACODE_PAGE_INVALID', 'WeChat does not accept that page for a mini-program code.', 400);

export async function unlimitedCode(deps: WxacodeDeps, request: UnlimitedCodeRequest): Promise<Buffer> {
  if (!SCENE.test(request.scene)) {
    throw errors.validation("scene must be 1–32 of the letters, digits and !#$&'()*+,/:;=?@-._~");
  }
  const { width } = request;
  if (width !== undefined && !(Number.isInteger(width) && width >= 280 && width <= 1280)) {
    throw errors.validation('width must be a whole number of pixels from 280 to 1280.');
  }
  const body = {
    scene: request.scene,
    // Navigation paths start with a slash; this endpoint answers 41030 to one.
    page: request.page.replace(/^\/+/, ''),
    check_path: false,
    env_version: deps.envVersion,
    ...(width === undefined ? {} : { width }),
  };
  const call = deps.tokens.withToken((token) => deps.client.postForImage(PATH, { access_token: token }, body));
  return mapErrcodes(call, { 41030: pageInvalid });
}
