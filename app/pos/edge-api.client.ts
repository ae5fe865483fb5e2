// The register's calls to the edge's API: with its device token, through the edge link (so status
// reflects them), answers parsed with the schemas the edge's handlers are typed by (core/edge-api.ts).
import type { z } from 'zod';
import { apiErrorMessage } from '../../core/edge-api';
import type { Register } from './register.client';

export async function callEdge<S extends z.ZodType>(register: Register, path: string, answer: S, body?: unknown): Promise<z.infer<S>> {
  const res = await register.link.fetch(`${register.baseUrl}${path}`, {
    ...(body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${register.identity?.token ?? ''}` },
  });
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(apiErrorMessage(json, res.status));
  const parsed = answer.safeParse(json);
  if (!parsed.success) throw new Error(`the edge answered ${path.split('?')[0]} in an unexpected form`);
  return parsed.data;
}
