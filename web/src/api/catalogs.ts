import { api } from './api'
import type {
  CannedAnswer,
  CannedAnswerInput,
  Disposition,
  DispositionInput,
  SubStatus,
  SubStatusInput,
  Tag,
  TagInput,
} from './types'

// The settings catalogs: tags, dispositions, canned answers and
// sub-statuses. Plain lists ({"items": [...]}) with create, change and
// delete; the server may leave out empty texts, the normalize functions put
// them back.

type Items<T> = { items: T[] | null }

export function normalizeTag(tag: Tag): Tag {
  return { ...tag, description: tag.description ?? '', colour: (tag.colour ?? '').toLowerCase() }
}

export function normalizeDisposition(disposition: Disposition): Disposition {
  return { ...disposition, description: disposition.description ?? '', account_id: disposition.account_id ?? null }
}

export function normalizeCannedAnswer(answer: CannedAnswer): CannedAnswer {
  return { ...answer, body: answer.body ?? '', account_id: answer.account_id ?? null }
}

export function normalizeSubStatus(status: SubStatus): SubStatus {
  return { ...status, description: status.description ?? '', builtin: !!status.builtin }
}

export const tagsApi = {
  list: () => api.get<Items<Tag>>('/tags').then((r) => (r.items ?? []).map(normalizeTag)),
  create: (tag: TagInput) => api.post<Tag>('/tags', tag).then(normalizeTag),
  update: (id: number, patch: Partial<TagInput>) => api.patch<Tag>(`/tags/${id}`, patch).then(normalizeTag),
  remove: (id: number) => api.delete<void>(`/tags/${id}`),
}

export const dispositionsApi = {
  /** With an account: the global dispositions and that account's. */
  list: (accountId: number | null = null) =>
    api
      .get<Items<Disposition>>('/dispositions', { query: { account_id: accountId } })
      .then((r) => (r.items ?? []).map(normalizeDisposition)),
  create: (disposition: DispositionInput) => api.post<Disposition>('/dispositions', disposition).then(normalizeDisposition),
  update: (id: number, patch: Partial<DispositionInput>) =>
    api.patch<Disposition>(`/dispositions/${id}`, patch).then(normalizeDisposition),
  remove: (id: number) => api.delete<void>(`/dispositions/${id}`),
}

export const cannedAnswersApi = {
  /**
   * q keeps the answers whose title contains it (ignoring case); with an
   * account, the global answers and that account's. The signal lets a newer
   * search cancel this one.
   */
  list: (q = '', signal?: AbortSignal, accountId: number | null = null) =>
    api
      .get<Items<CannedAnswer>>('/canned-answers', { query: { q: q.trim() || undefined, account_id: accountId }, signal })
      .then((r) => (r.items ?? []).map(normalizeCannedAnswer)),
  create: (answer: CannedAnswerInput) => api.post<CannedAnswer>('/canned-answers', answer).then(normalizeCannedAnswer),
  update: (id: number, patch: Partial<CannedAnswerInput>) =>
    api.patch<CannedAnswer>(`/canned-answers/${id}`, patch).then(normalizeCannedAnswer),
  remove: (id: number) => api.delete<void>(`/canned-answers/${id}`),
}

export const subStatusesApi = {
  list: () => api.get<Items<SubStatus>>('/sub-statuses').then((r) => (r.items ?? []).map(normalizeSubStatus)),
  create: (status: SubStatusInput) => api.post<SubStatus>('/sub-statuses', status).then(normalizeSubStatus),
  update: (id: number, patch: Partial<SubStatusInput>) =>
    api.patch<SubStatus>(`/sub-statuses/${id}`, patch).then(normalizeSubStatus),
  remove: (id: number) => api.delete<void>(`/sub-statuses/${id}`),
}
