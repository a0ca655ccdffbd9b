import { describe, expect, it } from 'vitest'
import type { WhatsAppAccount } from '../api/whatsapp'
import { accountDirty, accountPatch, newAccountBody, secretAsked, toDraft } from './accounts'

function metaAccount(): WhatsAppAccount {
  return {
    id: 7,
    channel: 'whatsapp',
    name: 'Sales',
    enabled: true,
    queue_id: 3,
    default_list_id: null,
    mandatory_disposition: false,
    create_contacts: false,
    provider: 'meta',
    phone_number: '+393331234567',
    phone_number_id: '1234',
    business_account_id: '5678',
    account_sid: '',
    sender: '',
    api_base_url: '',
    webhook_key: 'k',
    webhook_url: 'https://cc.example.com/api/v1/webhooks/whatsapp/k',
    access_token_set: true,
    app_secret_set: true,
    verify_token_set: true,
    auth_token_set: false,
    created_at: '',
    updated_at: '',
  }
}

describe('a new account', () => {
  it("sends every field and the chosen provider's secrets, not the other provider's", () => {
    const draft = toDraft(null)
    Object.assign(draft, { name: ' Support ', phone_number: '+39 333 1234567', phone_number_id: ' 99 ', account_sid: 'ACxx' })
    draft.secrets.access_token = 'tok'
    draft.secrets.auth_token = 'twilio secret'
    const body = newAccountBody(draft)
    expect(body).toMatchObject({ name: 'Support', provider: 'meta', phone_number: '+39 333 1234567', phone_number_id: '99' })
    expect(body.account_sid).toBe('')
    expect(body).toMatchObject({ access_token: 'tok', app_secret: '', verify_token: '' })
    expect(body).not.toHaveProperty('auth_token')
  })

  it('asks for every secret of its provider', () => {
    const draft = toDraft(null)
    expect(['access_token', 'app_secret', 'verify_token', 'auth_token'].map((s) => secretAsked(draft, null, s as never))).toEqual([
      true,
      true,
      true,
      false,
    ])
  })
})

describe('changing an account', () => {
  it('sends only what changed and keeps the set secrets by leaving them out', () => {
    const saved = metaAccount()
    const draft = toDraft(saved)
    expect(accountPatch(saved, draft)).toEqual({})
    expect(accountDirty(saved, draft)).toBe(false)
    draft.name = 'Sales Italy'
    expect(accountPatch(saved, draft)).toEqual({ name: 'Sales Italy' })
    expect(accountDirty(saved, draft)).toBe(true)
  })

  it('sends a secret being replaced; an open but blank replacement is no change yet', () => {
    const saved = metaAccount()
    const draft = toDraft(saved)
    draft.replacing.app_secret = true
    expect(accountDirty(saved, draft)).toBe(false)
    draft.secrets.app_secret = 'new secret'
    expect(accountPatch(saved, draft)).toEqual({ app_secret: 'new secret' })
    expect(accountDirty(saved, draft)).toBe(true)
  })

  it("switching to Twilio sends Twilio's fields and secret, so the server names each missing one", () => {
    const saved = metaAccount()
    const draft = toDraft(saved)
    draft.provider = 'twilio'
    expect(accountPatch(saved, draft)).toEqual({
      provider: 'twilio',
      phone_number_id: '',
      business_account_id: '',
      account_sid: '',
      sender: '',
      auth_token: '',
    })
    expect(secretAsked(draft, saved, 'auth_token')).toBe(true)
    expect(secretAsked(draft, saved, 'access_token')).toBe(false)
  })
})
