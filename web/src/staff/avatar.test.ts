import { describe, expect, it } from 'vitest'
import { AVATAR_MAX_BYTES, avatarProblem } from './avatar'

describe('avatar check', () => {
  it('takes PNG and JPG up to 8 MB', () => {
    expect(avatarProblem({ name: 'me.png', type: 'image/png', size: 1000 })).toBeNull()
    expect(avatarProblem({ name: 'me.jpg', type: 'image/jpeg', size: AVATAR_MAX_BYTES })).toBeNull()
  })

  it('refuses other types, by MIME type or else by name', () => {
    expect(avatarProblem({ name: 'me.gif', type: 'image/gif', size: 10 })).toBe('type')
    expect(avatarProblem({ name: 'me.png', type: 'image/webp', size: 10 })).toBe('type')
    expect(avatarProblem({ name: 'ME.JPEG', type: '', size: 10 })).toBeNull()
    expect(avatarProblem({ name: 'notes.txt', type: '', size: 10 })).toBe('type')
  })

  it('refuses files over 8 MB', () => {
    expect(avatarProblem({ name: 'big.png', type: 'image/png', size: AVATAR_MAX_BYTES + 1 })).toBe('size')
  })
})
