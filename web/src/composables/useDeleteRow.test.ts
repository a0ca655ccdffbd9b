import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../api/api'

const confirmDelete = vi.fn<(header: string, message: string) => Promise<boolean>>()
const notify = { success: vi.fn(), failure: vi.fn() }
vi.mock('./useConfirmDelete', () => ({ useConfirmDelete: () => confirmDelete }))
vi.mock('./useNotify', () => ({ useNotify: () => notify }))

const { useDeleteRow } = await import('./useDeleteRow')

interface Tag {
  id: number
  name: string
}

function setup() {
  const remove = vi.fn<(tag: Tag) => Promise<unknown>>().mockResolvedValue(undefined)
  const reload = vi.fn()
  const deleteRow = useDeleteRow<Tag>({
    header: () => 'Delete tag',
    question: (tag) => `Delete ${tag.name}?`,
    remove,
    deleted: (tag) => `${tag.name} deleted`,
    reload,
  })
  return { remove, reload, deleteRow }
}

beforeEach(() => {
  vi.clearAllMocks()
  confirmDelete.mockResolvedValue(true)
})

describe('useDeleteRow', () => {
  it('asks, deletes, says so and reloads', async () => {
    const { remove, reload, deleteRow } = setup()
    await deleteRow({ id: 4, name: 'VIP' })
    expect(confirmDelete).toHaveBeenCalledWith('Delete tag', 'Delete VIP?')
    expect(remove).toHaveBeenCalledWith({ id: 4, name: 'VIP' })
    expect(notify.success).toHaveBeenCalledWith('VIP deleted')
    expect(reload).toHaveBeenCalledOnce()
  })

  it('does nothing when the question is declined', async () => {
    confirmDelete.mockResolvedValue(false)
    const { remove, reload, deleteRow } = setup()
    await deleteRow({ id: 4, name: 'VIP' })
    expect(remove).not.toHaveBeenCalled()
    expect(notify.success).not.toHaveBeenCalled()
    expect(reload).not.toHaveBeenCalled()
  })

  it('shows a refusal and reloads all the same, as the row may have changed', async () => {
    const { remove, reload, deleteRow } = setup()
    const refusal = new ApiError(409, 'conflict', 'The tag is in use')
    remove.mockRejectedValue(refusal)
    await deleteRow({ id: 4, name: 'VIP' })
    expect(notify.failure).toHaveBeenCalledWith(refusal)
    expect(notify.success).not.toHaveBeenCalled()
    expect(reload).toHaveBeenCalledOnce()
  })
})
