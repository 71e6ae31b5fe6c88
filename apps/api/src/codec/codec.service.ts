// The codec server of the Temporal UI (Temporal's remote codec protocol): the UI sends the encrypted payloads of the
// history it shows and gets them back in clear. Decoding uses the Temporal client's own payload codecs, so it reads
// exactly what the API and the worker write, and refuses what they would refuse. Every request is one audit row
// (who, how many payloads, which namespace). There is no /codec/encode: the UI is read-only
// (TEMPORAL_UI_DISABLE_WRITE_ACTIONS), so it never encodes, and an encoding endpoint would let anyone with a token
// make payloads the codec accepts, which is exactly what the codec's refusal of foreign payloads is there to stop.
import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { hasRole, type Actor } from '../../../../libs/domain/src';
import type { ApiConfig } from '../config';
import { AuditTrail } from '../core/audit-trail';
import { API_CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { badRequest, type FieldError } from '../core/validation';
import type { CodecPayloadDto, CodecResponseView } from './codec.dto';

/** More payloads than one page of history holds is not a UI's request. */
export const MAX_CODEC_PAYLOADS = 1000;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

@Injectable()
export class CodecService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly trail: AuditTrail,
  ) {}

  async decode(body: unknown, namespace: string | undefined, actor: Actor): Promise<CodecResponseView> {
    if (namespace !== undefined && namespace !== this.config.temporal.namespace) {
      throw badRequest([{ field: 'X-Namespace', reason: `must be ${this.config.temporal.namespace}` }]);
    }
    const payloads = payloadsOf(body);
    let decoded = payloads;
    // The codecs run in reverse order of encoding, as the SDK's own decoding does.
    for (const codec of [...this.codecs()].reverse()) decoded = await codec.decode(decoded);
    await this.trail.decoded(actor, hasRole(actor, 'AUDITOR') ? 'CONTROL' : 'PREVENTION', {
      detail: { namespace: this.config.temporal.namespace },
      itemCount: payloads.length,
    });
    return { payloads: decoded.map(toJson) };
  }

  private codecs(): readonly PayloadCodec[] {
    return this.temporal.options.loadedDataConverter.payloadCodecs;
  }
}

/** The request's payloads, or a 400 naming the first field that is not what the protocol says. */
function payloadsOf(body: unknown): Payload[] {
  const list = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(list)) throw badRequest([{ field: 'payloads', reason: 'must be an array' }]);
  if (list.length > MAX_CODEC_PAYLOADS) {
    throw badRequest([{ field: 'payloads', reason: `must hold at most ${MAX_CODEC_PAYLOADS} payloads` }]);
  }
  const errors: FieldError[] = [];
  const payloads = list.map((item: unknown, i) => {
    const field = `payloads[${i}]`;
    const { metadata, data } = (item ?? {}) as { metadata?: unknown; data?: unknown };
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
      errors.push({ field: `${field}.metadata`, reason: 'must be an object of base64 strings' });
      return {};
    }
    const decodedMetadata: Record<string, Uint8Array> = {};
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string' || !BASE64.test(value)) {
        errors.push({ field: `${field}.metadata`, reason: 'every value must be base64' });
        return {};
      }
      decodedMetadata[key] = Buffer.from(value, 'base64');
    }
    if (data !== undefined && (typeof data !== 'string' || !BASE64.test(data))) {
      errors.push({ field: `${field}.data`, reason: 'must be base64' });
      return {};
    }
    return { metadata: decodedMetadata, ...(data !== undefined ? { data: Buffer.from(data, 'base64') } : {}) };
  });
  if (errors.length > 0) throw badRequest(errors.slice(0, 10));
  return payloads;
}

function toJson(payload: Payload): CodecPayloadDto {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {})) {
    if (value) metadata[key] = Buffer.from(value).toString('base64');
  }
  return { metadata, ...(payload.data ? { data: Buffer.from(payload.data).toString('base64') } : {}) };
}
