import * as assert from 'node:assert/strict';
import { parseHostMessage, parsePageMessage } from '../../../webview/metrics/protocol';
import { experimentView, runDetail } from '../../../src/extension/panels/metrics-view-data';
import { isSafeSvg } from '../../../src/extension/panels/metrics-safe-svg';
import type { RunMetrics, RunRecord } from '../../../src/core/experiments/run-record';
import { summary } from './fakes';

const RUN_ID = '20250301-142233-full';

describe('metrics panel messages', () => {
  it('the page accepts what the host builds from the run store', () => {
    const s = summary(0.8);
    const run: RunRecord = {
      schemaVersion: 1, id: RUN_ID, experiment: 'x', launchId: '20250301-142233', order: 0, variant: 'full', variantSpec: 'full', backend: 'local', status: 'completed',
      createdAt: '', owner: { pid: 1, host: 'h' }, hyperparameters: {}, summary: { test: { ...s, rocAuc: null }, baseline: { test: s } },
    };
    const view = experimentView('x', 'desc <b>', [run, { ...run, id: '20250301-142233-first5', variant: 'first5', status: 'running', progress: { phase: 'training', fraction: 0.3 }, summary: undefined }], ['/w/single.txt']);
    assert.deepEqual(view.evaluationFiles, ['single.txt']);
    assert.equal(view.runs[1].fraction, 0.3);
    assert.ok(parseHostMessage({ type: 'experiment', experiment: view }));
    const metrics: RunMetrics = { schemaVersion: 1, test: { summary: s, baseline: s, rows: 100, curve: [{ threshold: 1, tp: 0, fp: 0 }, { threshold: 0.5, tp: 7, fp: 1 }, { threshold: 0, tp: 9, fp: 91 }] }, trainingCurve: { metrics: ['train-auc', 'validation-auc'], rounds: [[0.9, null], [0.95, 0.9]] } };
    const detail = runDetail(RUN_ID, metrics);
    assert.deepEqual(detail.curves.test?.points[1], [0.5, 7, 1]);
    assert.ok(parseHostMessage({ type: 'details', details: [detail] }));
  });

  it('a long description or run error is cut on the host, so the page still shows the experiment', () => {
    const run: RunRecord = {
      schemaVersion: 1, id: RUN_ID, experiment: 'x', launchId: '20250301-142233', order: 0, variant: 'full', variantSpec: 'full', backend: 'local', status: 'failed',
      createdAt: '', owner: { pid: 1, host: 'h' }, hyperparameters: {}, error: { code: 'LOG_FORMAT', message: 'day.log:3: bad event ' + 'e'.repeat(50_000) },
    } as RunRecord;
    const view = experimentView('x', 'd'.repeat(20_000), [run], []);
    assert.equal(view.description.length, 10_000);
    assert.equal(view.runs[0].error!.length, 10_000);
    assert.ok(parseHostMessage({ type: 'experiment', experiment: view }));
  });

  it('the host rejects malformed or hostile page messages', () => {
    assert.deepEqual(parsePageMessage({ type: 'loadDetails', runIds: [RUN_ID] }), { type: 'loadDetails', runIds: [RUN_ID] });
    assert.equal(parsePageMessage({ type: 'loadDetails', runIds: ['../../etc/passwd'] }), undefined);
    assert.equal(parsePageMessage({ type: 'openLog', runId: 42 }), undefined);
    assert.equal(parsePageMessage({ type: 'export', set: 'test', runIds: [], charts: [{ name: '../x', svg: '<svg></svg>' }] }), undefined);
    assert.equal(parsePageMessage({ type: 'export', set: 'test', runIds: [], charts: [{ name: 'roc', svg: '<html>' }] }), undefined);
    assert.equal(parsePageMessage({ type: 'export', set: 'test', runIds: [], charts: [{ name: 'roc', svg: '<svg/>', png: 'not base64!' }] }), undefined);
    assert.ok(parsePageMessage({ type: 'export', set: 'evaluation', runIds: [RUN_ID], charts: [{ name: 'roc', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>', png: 'iVBORw0KGgo=' }] }));
    assert.equal(parsePageMessage({ type: 'eval', code: '1' }), undefined);
    assert.equal(parseHostMessage({ type: 'experiment', experiment: { name: 'x' } }), undefined);
  });

  it('only plain SVG is written on export', () => {
    assert.ok(isSafeSvg('<svg xmlns="http://www.w3.org/2000/svg"><text>&lt;img src=x onerror=alert(1)&gt;</text></svg>'));
    assert.ok(!isSafeSvg('<svg><script>alert(1)</script></svg>'));
    assert.ok(!isSafeSvg('<svg><rect onload="alert(1)"/></svg>'));
    assert.ok(!isSafeSvg('<svg><a href="javascript:alert(1)">x</a></svg>'));
    assert.ok(!isSafeSvg('<svg><image href="https://evil/x.png"/></svg>'));
    assert.ok(!isSafeSvg('<svg><foreignObject><div/></foreignObject></svg>'));
  });

  it('the SVG check is an allowlist: known bypasses and anything unknown are refused, a real chart passes', () => {
    const ns = 'xmlns="http://www.w3.org/2000/svg"';
    // The three bypasses of the old blocklist.
    assert.ok(!isSafeSvg(`<svg ${ns} xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript&#58;alert(1)"><text>x</text></a></svg>`));
    assert.ok(!isSafeSvg(`<svg ${ns}><style>@import url(https://evil.example/x.css);</style></svg>`));
    assert.ok(!isSafeSvg(`<svg ${ns}><rect width="9" height="9"/><set attributeName="onmouseover" to="alert(1)"/></svg>`));
    // Values, entities and structure.
    assert.ok(!isSafeSvg(`<svg ${ns}><rect fill="url(https://evil.example/p.svg#a)"/></svg>`));
    assert.ok(!isSafeSvg(`<svg ${ns}><rect fill="&#117;rl(https://evil.example/p.svg#a)"/></svg>`));
    assert.ok(!isSafeSvg(`<svg ${ns}><rect style="fill:red"/></svg>`));
    assert.ok(!isSafeSvg(`<svg ${ns}><rect href="#x"/></svg>`));
    assert.ok(!isSafeSvg(`<svg xmlns="http://www.w3.org/1999/xhtml"></svg>`));
    assert.ok(!isSafeSvg(`<!DOCTYPE svg [<!ENTITY x "y">]><svg ${ns}></svg>`));
    assert.ok(!isSafeSvg(`<svg ${ns}><!-- x --></svg>`));
    assert.ok(!isSafeSvg(`<svg ${ns}><![CDATA[<script>]]></svg>`));
    assert.ok(!isSafeSvg(`<svg ${ns}></svg><svg ${ns}></svg>`));
    assert.ok(!isSafeSvg(`<svg ${ns}><rect></svg>`));
    assert.ok(!isSafeSvg(`<svg ${ns}><text>a &nbsp; b</text></svg>`));
    // What standaloneSvg (webview/metrics/export.ts) writes for a chart of charts.ts: XMLSerializer output, styles as attributes.
    const chart =
      `<svg id="chart-roc" viewBox="0 0 560 360" role="img" aria-label="ROC curve. AUC 0.91 &gt; baseline" ${ns} width="560" height="360" font-family="&quot;Segoe WPC&quot;, system-ui" font-size="13px">` +
      '<title>ROC curve</title><rect x="0" y="0" width="560" height="360" fill="rgb(30, 30, 30)" stroke="none"/>' +
      '<text x="52" y="18" fill="rgb(204, 204, 204)" font-weight="600">ROC curve &lt;test&gt; &amp; more</text>' +
      '<g stroke="rgb(60, 60, 60)"><line x1="52" x2="52" y1="28" y2="300" stroke-width="1px"/><text x="52" y="314" text-anchor="middle">0</text></g>' +
      '<text x="14" y="164" text-anchor="middle" transform="rotate(-90 14 164)">True positive rate</text>' +
      '<path d="M52.0,300.0L90.5,120.2" fill="none" stroke="rgb(55, 148, 255)" stroke-width="2px" stroke-dasharray="4px, 3px" stroke-opacity="1"><title>full</title></path>' +
      '<circle cx="90" cy="120" r="4" fill="rgb(255, 0, 0)" fill-opacity="0.8" opacity="1"><title>FPR 5%</title></circle>' +
      '<g><rect x="400" y="250" width="124" height="34" rx="2" fill="rgb(37, 37, 38)"/></g></svg>';
    assert.ok(isSafeSvg(chart));
  });
});
