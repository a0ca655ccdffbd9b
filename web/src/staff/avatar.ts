/** The pictures an avatar may be: PNG or JPG, at most 8 MB (the server checks again). */
export const AVATAR_MAX_BYTES = 8 * 1024 * 1024
export const AVATAR_ACCEPT = 'image/png,image/jpeg,.png,.jpg,.jpeg'

/** Why a file cannot be an avatar, or null when it can. */
export function avatarProblem(file: { name: string; type: string; size: number }): 'type' | 'size' | null {
  const typeOk = file.type ? ['image/png', 'image/jpeg'].includes(file.type) : /\.(png|jpe?g)$/i.test(file.name)
  if (!typeOk) return 'type'
  if (file.size > AVATAR_MAX_BYTES) return 'size'
  return null
}
