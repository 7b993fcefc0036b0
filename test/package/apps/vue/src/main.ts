import { createApp } from 'vue';
import 'ua-kit';
import App from './App.vue';

createApp(App).mount('#app');
