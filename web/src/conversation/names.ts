// Names the conversation view shows for ids: accounts (GET /accounts, open
// to everyone) and queues (the agent's own from his settings; for staff,
// GET /queues when their profile allows it, else the live queues of their
// realtime rights — a supervisor who only follows conversations). Each list
// is fetched once per page load and shared by every view; an id not found
// reads "#id".

import { ref } from 'vue'
import { ApiError } from '../api/api'
import { accountsApi } from '../api/channels'
import { queueSettingsApi, realtimeApi } from '../api/routing'

const accounts = ref(new Map<number, string>())
const queues = ref(new Map<number, string>())
let accountsAsked = false
let queuesAsked = false

function quietly(p: Promise<void>) {
  void p.catch((err: unknown) => {
    if (!(err instanceof ApiError)) throw err
  })
}

/** The account names; fetched on first use. */
export function useAccountNames() {
  if (!accountsAsked) {
    accountsAsked = true
    quietly(accountsApi.list().then((list) => void (accounts.value = new Map(list.map((a) => [a.id, a.name])))))
  }
  return (id: number | null | undefined): string => (id === null || id === undefined ? '' : (accounts.value.get(id) ?? ''))
}

/** Queue names for staff (the console); agents use their own list (desk/useQueueNames). */
export function useStaffQueueNames() {
  if (!queuesAsked) {
    queuesAsked = true
    const named = (list: { id: number; name: string }[]) => void (queues.value = new Map(list.map((q) => [q.id, q.name])))
    quietly(
      queueSettingsApi.list().then(named, (err: unknown) => {
        if (err instanceof ApiError && err.status === 403) return realtimeApi.queues().then(named)
        throw err
      }),
    )
  }
  return (id: number | null | undefined): string => (id === null || id === undefined ? '' : (queues.value.get(id) ?? ''))
}
