import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '../api/api'
import { requireName, useCreateDialog } from './useCreateDialog'

interface List {
  id: number
  name: string
}

function setup() {
  const create = vi.fn<(draft: { name: string; description: string }) => Promise<List>>()
  const created = vi.fn()
  const dialog = useCreateDialog({
    fields: ['name', 'description'],
    blank: () => ({ name: '', description: '' }),
    check: (draft) => requireName(draft, 'A name is needed'),
    create,
    created,
  })
  return { create, created, dialog }
}

describe('useCreateDialog', () => {
  it('opens on a blank draft, forgetting the last one and its messages', () => {
    const { dialog } = setup()
    dialog.openCreate()
    dialog.draft.name = 'Leads'
    dialog.form.fieldErrors = { name: 'taken' }
    dialog.open.value = false
    dialog.openCreate()
    expect(dialog.open.value).toBe(true)
    expect(dialog.draft).toEqual({ name: '', description: '' })
    expect(dialog.form.fieldErrors).toEqual({})
  })

  it('checks before sending: a blank name sends nothing', async () => {
    const { create, created, dialog } = setup()
    dialog.openCreate()
    dialog.draft.name = '   '
    await dialog.create()
    expect(create).not.toHaveBeenCalled()
    expect(dialog.form.fieldErrors).toEqual({ name: 'A name is needed' })
    expect(dialog.open.value).toBe(true)
    expect(created).not.toHaveBeenCalled()
  })

  it('closes and hands the new entry on once the server has it', async () => {
    const { create, created, dialog } = setup()
    create.mockResolvedValue({ id: 9, name: 'Leads' })
    dialog.openCreate()
    dialog.draft.name = 'Leads'
    await dialog.create()
    expect(create).toHaveBeenCalledWith({ name: 'Leads', description: '' })
    expect(dialog.open.value).toBe(false)
    expect(created).toHaveBeenCalledWith({ id: 9, name: 'Leads' })
  })

  it('keeps the dialog open with the server refusal under its fields', async () => {
    const { create, created, dialog } = setup()
    create.mockRejectedValue(new ApiError(409, 'conflict', 'Not saved', { name: 'The name is taken' }))
    dialog.openCreate()
    dialog.draft.name = 'Leads'
    await dialog.create()
    expect(dialog.open.value).toBe(true)
    expect(dialog.form.fieldErrors).toEqual({ name: 'The name is taken' })
    expect(dialog.form.message).toBe('Not saved')
    expect(created).not.toHaveBeenCalled()
  })
})
