import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../api/api'

const confirmDelete = vi.fn<(header: string, message: string) => Promise<boolean>>()
const notify = { success: vi.fn(), failure: vi.fn() }
vi.mock('./useConfirmDelete', () => ({ useConfirmDelete: () => confirmDelete }))
vi.mock('./useNotify', () => ({ useNotify: () => notify }))

const { useBulkDelete } = await import('./useBulkDelete')

interface Team {
  id: number
  name: string
}

function setup() {
  const list = {
    items: [
      { id: 1, name: 'Sales' },
      { id: 2, name: 'Support' },
    ] as Team[],
    selectedIds: [1, 2, 9],
    load: vi.fn(),
  }
  const api = {
    removeOne: vi.fn<(id: number) => Promise<unknown>>().mockResolvedValue(undefined),
    removeMany: vi.fn<(ids: number[]) => Promise<{ deleted: number }>>().mockResolvedValue({ deleted: 3 }),
  }
  const actions = useBulkDelete<Team>(list, {
    nameOf: (row) => row.name,
    ...api,
    texts: {
      title: (n) => `title ${n}`,
      askOne: (name) => `delete ${name}?`,
      askMany: (n) => `delete ${n}?`,
      deletedOne: (name) => `${name} deleted`,
      deletedMany: (n) => `${n} deleted`,
    },
  })
  return { list, api, ...actions }
}

beforeEach(() => {
  vi.clearAllMocks()
  confirmDelete.mockResolvedValue(true)
})

describe('useBulkDelete', () => {
  it('deletes one row with its own request, unselects it and reloads', async () => {
    const { list, api, deleteRow } = setup()
    await deleteRow(list.items[0])
    expect(confirmDelete).toHaveBeenCalledWith('title 1', 'delete Sales?')
    expect(api.removeOne).toHaveBeenCalledWith(1)
    expect(api.removeMany).not.toHaveBeenCalled()
    expect(notify.success).toHaveBeenCalledWith('Sales deleted')
    expect(list.selectedIds).toEqual([2, 9])
    expect(list.load).toHaveBeenCalledOnce()
  })

  it('deletes the selection at once, rows from other pages included, and says how many went', async () => {
    const { list, api, deleteSelected } = setup()
    await deleteSelected()
    expect(confirmDelete).toHaveBeenCalledWith('title 3', 'delete 3?')
    expect(api.removeMany).toHaveBeenCalledWith([1, 2, 9])
    expect(notify.success).toHaveBeenCalledWith('3 deleted')
    expect(list.selectedIds).toEqual([])
    expect(list.load).toHaveBeenCalledOnce()
  })

  it('names a selected row it cannot see by its id', async () => {
    const { list, api, deleteSelected } = setup()
    list.selectedIds = [9]
    await deleteSelected()
    expect(confirmDelete).toHaveBeenCalledWith('title 1', 'delete #9?')
    expect(api.removeOne).toHaveBeenCalledWith(9)
  })

  it('does nothing when declined', async () => {
    confirmDelete.mockResolvedValue(false)
    const { list, api, deleteSelected } = setup()
    await deleteSelected()
    expect(api.removeMany).not.toHaveBeenCalled()
    expect(list.selectedIds).toEqual([1, 2, 9])
    expect(list.load).not.toHaveBeenCalled()
  })

  it('shows a refusal and still reloads, as some rows may be gone', async () => {
    const { list, api, deleteSelected } = setup()
    const refusal = new ApiError(409, 'conflict', 'In use')
    api.removeMany.mockRejectedValue(refusal)
    await deleteSelected()
    expect(notify.failure).toHaveBeenCalledWith(refusal)
    expect(notify.success).not.toHaveBeenCalled()
    expect(list.load).toHaveBeenCalledOnce()
  })
})
