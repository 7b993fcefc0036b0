/// <reference types="ua-kit/react" />
