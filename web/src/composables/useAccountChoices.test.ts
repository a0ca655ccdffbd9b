import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import { ApiError } from '../api/api'
import type { ContactList, QueueSettings } from '../api/types'

const listQueues = vi.fn<(channel?: string) => Promise<QueueSettings[]>>()
const listLists = vi.fn<() => Promise<ContactList[]>>()
vi.mock('../api/routing', () => ({ queueSettingsApi: { list: listQueues } }))
vi.mock('../api/channels', () => ({ contactListsApi: { list: listLists } }))

const { useAccountChoices } = await import('./useAccountChoices')

const queue = (id: number, name: string) => ({ id, name }) as QueueSettings
const list = (id: number, name: string) => ({ id, name }) as ContactList
const numberText = { queue: (id: number) => `Queue #${id}`, list: (id: number) => `List #${id}` }

beforeEach(() => {
  vi.clearAllMocks()
})

describe('useAccountChoices', () => {
  it("offers the channel's queues and every contact list", async () => {
    listQueues.mockResolvedValue([queue(1, 'Sales'), queue(2, 'Support')])
    listLists.mockResolvedValue([list(7, 'Leads')])
    const choices = useAccountChoices('whatsapp', () => null, numberText)
    await choices.loadChoices()
    expect(listQueues).toHaveBeenCalledWith('whatsapp')
    expect(choices.queueOptions.value).toEqual([
      { value: 1, label: 'Sales' },
      { value: 2, label: 'Support' },
    ])
    expect(choices.listOptions.value).toEqual([{ value: 7, label: 'Leads' }])
  })

  it('names a saved choice the viewer may not read by its number', async () => {
    listQueues.mockRejectedValue(new ApiError(403, 'forbidden', 'Not allowed'))
    listLists.mockResolvedValue([list(7, 'Leads')])
    const saved = ref({ queue_id: 4 as number | null, default_list_id: 9 as number | null })
    const choices = useAccountChoices('chat', () => saved.value, numberText)
    await choices.loadChoices()
    expect(choices.queueOptions.value).toEqual([{ value: 4, label: 'Queue #4' }])
    expect(choices.listOptions.value).toEqual([
      { value: 7, label: 'Leads' },
      { value: 9, label: 'List #9' },
    ])
    // Once saved without a queue, nothing is added.
    saved.value = { queue_id: null, default_list_id: 7 }
    expect(choices.queueOptions.value).toEqual([])
    expect(choices.listOptions.value).toEqual([{ value: 7, label: 'Leads' }])
  })
})
