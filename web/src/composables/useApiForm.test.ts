import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/api'
import { useApiForm } from './useApiForm'

describe('useApiForm', () => {
  it('puts field messages under the fields the form shows', async () => {
    const form = useApiForm(['current_password', 'new_password'])
    const ok = await form.submit(() =>
      Promise.reject(new ApiError(400, 'invalid', 'Some fields are not valid.', { new_password: 'Needs a digit.' })),
    )
    expect(ok).toBe(false)
    expect(form.fieldErrors.value).toEqual({ new_password: 'Needs a digit.' })
    expect(form.message.value).toBe('Some fields are not valid.')
  })

  it('shows a message for a field the form lacks instead of the general one', async () => {
    const form = useApiForm(['new_password'])
    await form.submit(() =>
      Promise.reject(new ApiError(400, 'invalid', 'Some fields are not valid.', { token: 'This reset link is not valid.' })),
    )
    expect(form.fieldErrors.value).toEqual({})
    expect(form.message.value).toBe('This reset link is not valid.')
  })

  it('clears the last answer and reports success', async () => {
    const form = useApiForm(['name'])
    await form.submit(() => Promise.reject(new ApiError(409, 'conflict', 'Taken.', { name: 'Taken.' })))
    const ok = await form.submit(() => Promise.resolve())
    expect(ok).toBe(true)
    expect(form.message.value).toBe('')
    expect(form.fieldErrors.value).toEqual({})
    expect(form.busy.value).toBe(false)
  })

  it('lets errors that are not API answers through', async () => {
    const form = useApiForm()
    await expect(form.submit(() => Promise.reject(new TypeError('bug')))).rejects.toThrow('bug')
  })
})
