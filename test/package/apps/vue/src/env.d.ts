/// <reference types="ua-kit/vue" />
