import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import { ApiError } from '../api/api'

const confirmDelete = vi.fn<(header: string, message: string) => Promise<boolean>>()
const notify = { success: vi.fn(), failure: vi.fn() }
const router = { push: vi.fn() }
vi.mock('./useConfirmDelete', () => ({ useConfirmDelete: () => confirmDelete }))
vi.mock('./useNotify', () => ({ useNotify: () => notify }))
vi.mock('vue-router', () => ({ useRouter: () => router }))

const { useDeleteAndLeave, useEntityPage } = await import('./useEntityPage')

interface Team {
  id: number
  name: string
}

beforeEach(() => vi.clearAllMocks())

describe('useEntityPage', () => {
  it('loads the record and clears an earlier error', async () => {
    const fetch = vi.fn<() => Promise<Team>>().mockRejectedValueOnce(new ApiError(404, 'not_found', 'No such team'))
    const page = useEntityPage(fetch)
    await page.load()
    expect(page.entity.value).toBeNull()
    expect(page.loadError.value).toBe('No such team')

    fetch.mockResolvedValueOnce({ id: 7, name: 'Sales' })
    await page.load()
    expect(page.entity.value).toEqual({ id: 7, name: 'Sales' })
    expect(page.loadError.value).toBe('')
  })

  it('rethrows what is not a refusal from the server', async () => {
    const page = useEntityPage(() => Promise.reject(new TypeError('bug')))
    await expect(page.load()).rejects.toThrow('bug')
  })
})

describe('useDeleteAndLeave', () => {
  const options = {
    header: () => 'Delete team?',
    message: (team: Team) => `Delete ${team.name}?`,
    remove: vi.fn<(team: Team) => Promise<unknown>>(),
    deleted: (team: Team) => `${team.name} deleted`,
    back: { name: 'admin-teams' },
  }

  it('asks, deletes, says so and goes back to the list', async () => {
    confirmDelete.mockResolvedValue(true)
    options.remove.mockResolvedValue(undefined)
    await useDeleteAndLeave(ref<Team | null>({ id: 7, name: 'Sales' }), options)()
    expect(confirmDelete).toHaveBeenCalledWith('Delete team?', 'Delete Sales?')
    expect(options.remove).toHaveBeenCalledWith({ id: 7, name: 'Sales' })
    expect(notify.success).toHaveBeenCalledWith('Sales deleted')
    expect(router.push).toHaveBeenCalledWith({ name: 'admin-teams' })
  })

  it('does nothing when declined or when nothing is loaded', async () => {
    confirmDelete.mockResolvedValue(false)
    await useDeleteAndLeave(ref<Team | null>({ id: 7, name: 'Sales' }), options)()
    await useDeleteAndLeave(ref<Team | null>(null), options)()
    expect(confirmDelete).toHaveBeenCalledTimes(1)
    expect(options.remove).not.toHaveBeenCalled()
    expect(router.push).not.toHaveBeenCalled()
  })

  it('stays on the page and shows the refusal when the server says no', async () => {
    const refusal = new ApiError(409, 'conflict', 'Still in use')
    confirmDelete.mockResolvedValue(true)
    options.remove.mockRejectedValue(refusal)
    await useDeleteAndLeave(ref<Team | null>({ id: 7, name: 'Sales' }), options)()
    expect(notify.failure).toHaveBeenCalledWith(refusal)
    expect(notify.success).not.toHaveBeenCalled()
    expect(router.push).not.toHaveBeenCalled()
  })
})
