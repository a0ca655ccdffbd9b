import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { api, ApiError, apiUrl, configureApi } from './api'

type FetchArgs = [input: string, init: RequestInit]

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

describe('api wrapper', () => {
  const fetchMock = vi.fn<(...args: FetchArgs) => Promise<Response>>()
  const onUnauthorized = vi.fn()
  const onPasswordChangeRequired = vi.fn()

  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock)
    configureApi({
      locale: () => 'it',
      csrfToken: () => 'csrf-123',
      onUnauthorized,
      onPasswordChangeRequired,
      fallbackMessage: (code) => `fallback ${code}`,
    })
  })

  afterEach(() => {
    vi.unstubAllGlobals()
    fetchMock.mockReset()
    onUnauthorized.mockReset()
    onPasswordChangeRequired.mockReset()
  })

  function sent(): { url: string; init: RequestInit; headers: Record<string, string> } {
    const [url, init] = fetchMock.mock.calls[0]!
    return { url, init, headers: init.headers as Record<string, string> }
  }

  it('sends JSON with the CSRF token and the locale on POST', async () => {
    fetchMock.mockResolvedValue(jsonResponse(201, { id: 2 }))
    const answer = await api.post<{ id: number }>('/api-tokens', { name: 'CRM' })

    expect(answer).toEqual({ id: 2 })
    const { url, init, headers } = sent()
    expect(url).toBe('/api/v1/api-tokens')
    expect(init.method).toBe('POST')
    expect(init.credentials).toBe('same-origin')
    expect(init.body).toBe('{"name":"CRM"}')
    expect(headers['X-CSRF-Token']).toBe('csrf-123')
    expect(headers['Accept-Language']).toBe('it')
    expect(headers['Content-Type']).toBe('application/json')
  })

  it('sends the locale but no CSRF token on GET, and builds the query', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { items: [], total: 0 }))
    await api.get('/agents', { query: { q: 'mario rossi', limit: 25, offset: 0, empty: '' } })

    const { url, headers } = sent()
    expect(url).toBe('/api/v1/agents?q=mario+rossi&limit=25&offset=0')
    expect(headers['Accept-Language']).toBe('it')
    expect(headers['X-CSRF-Token']).toBeUndefined()
  })

  it('answers undefined for 204', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }))
    await expect(api.delete('/api-tokens/1')).resolves.toBeUndefined()
    expect(sent().headers['X-CSRF-Token']).toBe('csrf-123')
  })

  it('turns an error answer into ApiError with code, message and fields', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(400, {
        code: 'invalid',
        message: 'Controlla i campi evidenziati.',
        fields: { new_password: 'Manca una cifra.' },
      }),
    )
    const error = await api.post('/auth/password', {}).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid',
      message: 'Controlla i campi evidenziati.',
      fields: { new_password: 'Manca una cifra.' },
    })
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('gives an error without fields an empty field map', async () => {
    fetchMock.mockResolvedValue(jsonResponse(423, { code: 'locked', message: 'Account bloccato.' }))
    await expect(api.post('/auth/login', {})).rejects.toMatchObject({ status: 423, code: 'locked', fields: {} })
  })

  it('reports a lost session on 401 from an ordinary endpoint', async () => {
    fetchMock.mockResolvedValue(jsonResponse(401, { code: 'unauthorized', message: 'Sessione scaduta.' }))
    await expect(api.get('/agents')).rejects.toMatchObject({ code: 'unauthorized' })
    expect(onUnauthorized).toHaveBeenCalledOnce()
  })

  it('leaves 401 from sign-in and session look-up to the caller', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(401, { code: 'unauthorized', message: 'Credenziali errate.' }))
    await expect(api.post('/auth/login', {})).rejects.toMatchObject({ status: 401 })
    await expect(api.get('/auth/me')).rejects.toMatchObject({ status: 401 })
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('reports a required password change', async () => {
    fetchMock.mockResolvedValue(jsonResponse(403, { code: 'password_change_required', message: 'Cambia la password.' }))
    await expect(api.get('/users')).rejects.toMatchObject({ status: 403, code: 'password_change_required' })
    expect(onPasswordChangeRequired).toHaveBeenCalledOnce()
  })

  it('does not take an ordinary 403 for a password change', async () => {
    fetchMock.mockResolvedValue(jsonResponse(403, { code: 'forbidden', message: 'Non consentito.' }))
    await expect(api.get('/users')).rejects.toMatchObject({ code: 'forbidden' })
    expect(onPasswordChangeRequired).not.toHaveBeenCalled()
  })

  it('gives a localised message when the answer is not a JSON error', async () => {
    fetchMock.mockResolvedValue(new Response('<html>Bad Gateway</html>', { status: 502 }))
    await expect(api.get('/agents')).rejects.toMatchObject({ status: 502, code: 'internal', message: 'fallback internal' })
  })

  it('gives a localised message when the server cannot be reached', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'))
    await expect(api.get('/agents')).rejects.toMatchObject({ status: 0, code: 'unavailable', message: 'fallback network' })
  })
})

describe('apiUrl', () => {
  it('leaves out empty values and repeats a parameter given a list', () => {
    expect(apiUrl('/interactions', { q: '', channel: 'chat', status: ['open', 'closed'], tag_id: [], limit: 50 })).toBe(
      '/api/v1/interactions?channel=chat&status=open&status=closed&limit=50',
    )
  })
})
