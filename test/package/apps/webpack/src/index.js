import 'ua-kit/source';
import 'ua-kit/app-select';
import 'ua-kit/range-select';
import 'ua-kit/overview';
import 'ua-kit/trend';
import 'ua-kit/detail-table';
import 'ua-kit/dashboard';

const selected = [];
Object.assign(window, { selected });
document.getElementById('overview').addEventListener('metric-select', (e) => {
  selected.push(e.detail.metric);
});
