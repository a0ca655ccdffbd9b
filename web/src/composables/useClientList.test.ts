import { describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { ApiError } from '../api/api'
import { searchable, useClientList } from './useClientList'

interface Queue {
  id: number
  name: string
  description: string
  channel: string
}

const queues: Queue[] = [
  { id: 1, name: 'Sales', description: 'New customers', channel: 'chat' },
  { id: 2, name: 'Support', description: 'Broken orders', channel: 'whatsapp' },
  { id: 3, name: 'Billing', description: 'Invoices', channel: 'chat' },
]

describe('useClientList', () => {
  it('searches the loaded rows here, ignoring case and spaces around the query', async () => {
    const fetchAll = vi.fn(() => Promise.resolve(queues))
    const list = useClientList(fetchAll, { immediate: false, searchText: (q) => searchable(q.name, q.description) })
    await list.load()
    expect(list.shown.value).toHaveLength(3)

    list.search.value = '  ORDERS '
    await nextTick()
    expect(list.shown.value.map((q) => q.name)).toEqual(['Support'])
    expect(fetchAll).toHaveBeenCalledOnce()
  })

  it('never matches a query across two searched texts', async () => {
    const list = useClientList(() => Promise.resolve(queues), { immediate: false, searchText: (q) => searchable(q.name, q.description) })
    await list.load()
    list.search.value = 'sales new'
    expect(list.shown.value).toEqual([])
  })

  it('applies the page filter together with the search', async () => {
    let channel = 'chat'
    const list = useClientList(() => Promise.resolve(queues), {
      immediate: false,
      searchText: (q) => q.name,
      filter: (q) => q.channel === channel,
    })
    await list.load()
    expect(list.shown.value.map((q) => q.id)).toEqual([1, 3])
    list.search.value = 'bill'
    expect(list.shown.value.map((q) => q.id)).toEqual([3])
    channel = 'whatsapp'
    list.search.value = ''
    expect(list.shown.value.map((q) => q.id)).toEqual([2])
  })

  it('shows a refusal as the error text, keeps the rows it had and clears the text on the next load', async () => {
    const fetchAll = vi
      .fn<() => Promise<Queue[]>>()
      .mockResolvedValueOnce(queues)
      .mockRejectedValueOnce(new ApiError(403, 'forbidden', 'You may not see queues'))
      .mockResolvedValueOnce(queues.slice(0, 1))
    const list = useClientList(fetchAll, { immediate: false })
    await list.load()
    await list.load()
    expect(list.loadError.value).toBe('You may not see queues')
    expect(list.items.value).toHaveLength(3)
    expect(list.loading.value).toBe(false)
    await list.load()
    expect(list.loadError.value).toBe('')
    expect(list.items.value).toHaveLength(1)
  })

  it('rethrows what is not a refusal from the server', async () => {
    const list = useClientList(() => Promise.reject(new TypeError('bug')), { immediate: false })
    await expect(list.load()).rejects.toThrow('bug')
    expect(list.loading.value).toBe(false)
  })
})
