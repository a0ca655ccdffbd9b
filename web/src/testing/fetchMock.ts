import { afterEach, beforeEach, vi } from 'vitest'
import { configureApi } from '../api/api'

/**
 * Stubs fetch for the tests of the describe block it is called in: each
 * test starts with no answers set (mockImplementation sets them) and the
 * API configured with a CSRF token.
 */
export function useFetchMock(csrfToken = 'csrf') {
  const fetchMock = vi.fn<(input: string, init: RequestInit) => Promise<Response>>()
  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock)
    configureApi({ csrfToken: () => csrfToken })
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    fetchMock.mockReset()
  })
  return {
    fetchMock,
    /** The requests sent, in order: method, URL and body (null without one). */
    calls: () => fetchMock.mock.calls.map(([url, init]) => [init.method, url, init.body ?? null]),
  }
}
