import { computed, onMounted, ref } from 'vue'
import { userProfilesApi } from '../api/staff'
import type { UserProfile } from '../api/types'
import { useNotify } from './useNotify'

/** The user profiles, as options for a drop-down. */
export function useUserProfileOptions() {
  const notify = useNotify()
  const profiles = ref<UserProfile[]>([])
  onMounted(async () => {
    try {
      profiles.value = (await userProfilesApi.list()).items
    } catch (err) {
      notify.failure(err)
    }
  })
  const options = computed(() => profiles.value.map((p) => ({ value: p.id as number | null, label: p.name })))
  return { profiles, options }
}
