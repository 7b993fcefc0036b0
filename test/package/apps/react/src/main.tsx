import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { UaDashboard, type MetricSelectEvent } from 'ua-kit';

const selected: string[] = [];
Object.assign(window, { selected, dashboardClass: UaDashboard });

function App() {
  const [metric, setMetric] = useState('activeUsers');
  const onSelect = (e: MetricSelectEvent) => {
    selected.push(e.detail.metric);
    setMetric(e.detail.metric);
  };
  return (
    <>
      <ua-source id="ua" range="30" events-src="./events.json" time-zone="UTC" end-date="2026-03-10">
        <ua-app-select></ua-app-select>
        <ua-range-select></ua-range-select>
        <ua-overview id="overview" onmetric-select={onSelect}></ua-overview>
        <ua-trend compare></ua-trend>
        <ua-detail-table sort="desc"></ua-detail-table>
      </ua-source>
      <p id="chosen">{metric}</p>
      <ua-dashboard events-src="./events.json" time-zone="UTC" end-date="2026-03-10"></ua-dashboard>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
