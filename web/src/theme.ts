import Aura from '@primeuix/themes/aura'
import { definePreset } from '@primeuix/themes'

// Aura with a calm blue as the primary colour, one shade darker than Aura's
// default so white text on buttons keeps a readable contrast.
const preset = definePreset(Aura, {
  semantic: {
    primary: {
      50: '{blue.50}',
      100: '{blue.100}',
      200: '{blue.200}',
      300: '{blue.300}',
      400: '{blue.400}',
      500: '{blue.500}',
      600: '{blue.600}',
      700: '{blue.700}',
      800: '{blue.800}',
      900: '{blue.900}',
      950: '{blue.950}',
    },
    colorScheme: {
      light: {
        primary: {
          color: '{primary.600}',
          contrastColor: '#ffffff',
          hoverColor: '{primary.700}',
          activeColor: '{primary.800}',
        },
      },
    },
  },
})

export const switchboardTheme = {
  preset,
  options: {
    // Light only for now: a class the app never sets keeps the OS dark mode out.
    darkModeSelector: '.sb-dark',
    cssLayer: false,
  },
}
