import { describe, expect, it } from 'vitest'
import { attachmentUrl, formErrors, serverBase, socketUrl, widgetApi, WidgetError } from './api'

describe('addresses', () => {
  it('takes the server from the script’s own address', () => {
    expect(serverBase('https://sb.example.com/widget.js')).toBe('https://sb.example.com')
    expect(serverBase('https://sb.example.com:8443/widget.js?v=3')).toBe('https://sb.example.com:8443')
    expect(serverBase('https://example.com/switchboard/widget.js')).toBe('https://example.com/switchboard')
  })

  it('opens the socket on ws or wss with the key, token and the last message shown', () => {
    expect(socketUrl('https://sb.example.com', 'K', 't/k+n', 12)).toBe('wss://sb.example.com/api/v1/widget/ws?key=K&token=t%2Fk%2Bn&after=12')
    expect(socketUrl('http://127.0.0.1:8080', 'K', 'T', 0)).toBe('ws://127.0.0.1:8080/api/v1/widget/ws?key=K&token=T&after=0')
  })

  it('makes an attachment’s address absolute, with the key and token it needs', () => {
    expect(attachmentUrl('https://sb.example.com', 'K', 'T', '/api/v1/widget/files/4')).toBe('https://sb.example.com/api/v1/widget/files/4?key=K&token=T')
    expect(attachmentUrl('https://sb.example.com', 'K', 'T', 'https://sb.example.com/api/v1/widget/files/4?key=K&token=T')).toBe(
      'https://sb.example.com/api/v1/widget/files/4?key=K&token=T',
    )
  })
})

describe('form errors', () => {
  it('names the server’s errors by the form’s fields and leaves out the rest', () => {
    expect(formErrors({ 'fields.email': 'Not an email', 'fields.nope': 'Unknown', name: 'Required' }, ['name', 'email'])).toEqual({
      email: 'Not an email',
      name: 'Required',
    })
  })
})

describe('widget api', () => {
  type Call = { url: string; init: RequestInit }
  function fake(status: number, body: unknown) {
    const calls: Call[] = []
    const fetcher = (async (url: string, init: RequestInit) => {
      calls.push({ url, init })
      return new Response(body === undefined ? '' : JSON.stringify(body), { status })
    }) as unknown as typeof fetch
    return { calls, api: widgetApi('https://sb.example.com', 'K y', () => 'it', fetcher) }
  }

  it('asks for the configuration with the key, in the customer’s language, without cookies', async () => {
    const { calls, api } = fake(200, { title: 'Chat' })
    expect(await api.config()).toEqual({ title: 'Chat' })
    expect(calls[0]!.url).toBe('https://sb.example.com/api/v1/widget/config?key=K%20y')
    expect(new Headers(calls[0]!.init.headers).get('Accept-Language')).toBe('it')
    expect(calls[0]!.init.credentials).toBe('omit')
  })

  it('starts a chat with the fields as JSON', async () => {
    const { calls, api } = fake(201, { chat_id: 3, token: 'T', interaction_id: 3 })
    expect(await api.start({ name: 'Anna' }, false)).toEqual({ chat_id: 3, token: 'T', interaction_id: 3 })
    expect(calls[0]!.init.method).toBe('POST')
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ fields: { name: 'Anna' }, offline: false })
  })

  it('uploads a file with the token and client id, answering the stored message', async () => {
    const { calls, api } = fake(201, { id: 9, direction: 'in', body: '', client_id: 'c1' })
    const message = await api.upload('T', new Blob(['x'], { type: 'text/plain' }), 'a.txt', 'c1')
    expect(message).toMatchObject({ type: 'message', id: 9, client_id: 'c1' })
    expect(new Headers(calls[0]!.init.headers).get('Authorization')).toBe('Bearer T')
    const form = calls[0]!.init.body as FormData
    expect(form.get('client_id')).toBe('c1')
    expect((form.get('file') as File).name).toBe('a.txt')
  })

  it('turns an error answer into a WidgetError with the code, message and fields', async () => {
    const { api } = fake(400, { code: 'invalid', message: 'Check the fields', fields: { 'fields.email': 'Not an email' } })
    const error = await api.start({}, false).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WidgetError)
    expect(error).toMatchObject({ status: 400, code: 'invalid', message: 'Check the fields', fields: { 'fields.email': 'Not an email' } })
  })

  it('tells a network failure apart (status 0)', async () => {
    const api = widgetApi('https://sb.example.com', 'K', () => 'en', (async () => {
      throw new TypeError('Failed to fetch')
    }) as unknown as typeof fetch)
    await expect(api.config()).rejects.toMatchObject({ status: 0, code: 'network' })
  })
})
