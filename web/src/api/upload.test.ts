import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, configureApi, upload } from './api'

/** The browser's XMLHttpRequest, driven by the test. */
class FakeXHR {
  static last: FakeXHR
  headers: Record<string, string> = {}
  method = ''
  url = ''
  status = 0
  responseText = ''
  body: unknown
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  onabort: (() => void) | null = null
  constructor() {
    FakeXHR.last = this
  }
  open(method: string, url: string) {
    this.method = method
    this.url = url
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value
  }
  getResponseHeader() {
    return 'application/json'
  }
  send(body: unknown) {
    this.body = body
  }
  abort() {
    this.onabort?.()
  }
  answer(status: number, body: unknown) {
    this.status = status
    this.responseText = JSON.stringify(body)
    this.onload?.()
  }
}

describe('upload', () => {
  beforeEach(() => {
    vi.stubGlobal('XMLHttpRequest', FakeXHR)
    configureApi({ locale: () => 'it', csrfToken: () => 'tok' })
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    configureApi({})
  })

  it('posts the form with the locale and CSRF token, reports progress and answers the JSON', async () => {
    const seen: number[] = []
    const form = new FormData()
    const done = upload<{ id: number }>('/interactions/5/attachments', form, { onProgress: (f) => seen.push(f) })
    const xhr = FakeXHR.last
    expect([xhr.method, xhr.url]).toEqual(['POST', '/api/v1/interactions/5/attachments'])
    expect(xhr.headers).toMatchObject({ 'Accept-Language': 'it', 'X-CSRF-Token': 'tok' })
    expect(xhr.body).toBe(form)
    xhr.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 200 })
    xhr.upload.onprogress?.({ lengthComputable: true, loaded: 200, total: 200 })
    xhr.answer(201, { id: 9 })
    await expect(done).resolves.toEqual({ id: 9 })
    expect(seen).toEqual([0.25, 1])
  })

  it('turns a refusal into the server’s ApiError (the size limit, a field)', async () => {
    const done = upload('/interactions/5/attachments', new FormData())
    FakeXHR.last.answer(413, { code: 'too_large', message: 'The file is larger than 10 MB.' })
    await expect(done).rejects.toMatchObject({ status: 413, code: 'too_large', message: 'The file is larger than 10 MB.' })
    const again = upload('/interactions/5/attachments', new FormData())
    FakeXHR.last.answer(400, { code: 'invalid', message: 'Some fields are not valid.', fields: { file: 'This type of file is not accepted.' } })
    const err = await again.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).fields.file).toBe('This type of file is not accepted.')
  })

  it('reports a lost connection as unavailable', async () => {
    const done = upload('/x', new FormData())
    FakeXHR.last.onerror?.()
    await expect(done).rejects.toMatchObject({ status: 0, code: 'unavailable' })
  })
})
