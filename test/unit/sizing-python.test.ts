import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { testEnv } from '../support/test-env';
import { memoryContext } from '../support/memory-context';
import { findDataDir } from '../../server/src/io/data-packs';
import { loadPythonWheelData } from '../../server/src/io/package-packs';
import { normalizeName, ratioFor } from '../../server/src/sizing/sizers/python-wheels';
import { parseUvLock } from '../../server/src/sizing/sizers/python';

const data = loadPythonWheelData(findDataDir()).value;
assert.ok(data, 'the Python wheel pack loads');

function lastLayer(text: string, files: Record<string, number | string> | null = null) {
  const report = analyze(text, { env: { ...testEnv(), context: files ? memoryContext(files) : null } });
  const layers = report.image.stages.flatMap((s) => s.layers);
  return { layer: layers[layers.length - 1], report };
}

const part = (layer: { parts: { label: string; figure: { bytes: number; source: string } }[] }, label: string) => layer.parts.find((p) => p.label === label)?.figure;
const wheel = (name: string, version: string) => data!.wheels.find((w) => w.name === name && w.version === version)!;

test('every wheel entry cites where its size comes from, and ratios are measured samples', () => {
  for (const entry of data!.wheels) {
    assert.ok(entry.bytes > 0 && entry.source.length > 10 && entry.file.endsWith('.whl'), entry.name);
    if (!entry.installedBytes && entry.ratioSample) assert.ok(entry.ratioSample in data!.ratios.samples, entry.ratioSample);
  }
  const median = ratioFor(data!, undefined);
  assert.ok(median.low <= median.ratio && median.ratio <= median.high && median.ratio > 1);
});

test('pip install of a local folder: the folder once in site-packages and once in its in-tree build copy', () => {
  const files = { 'pkg/pyproject.toml': 300, 'pkg/leanpkg/__init__.py': 117, 'pkg/leanpkg/data.bin': 2_097_152 };
  const { layer } = lastLayer('FROM debian:bookworm-slim\nCOPY pkg /src/pkg\nRUN pip install --no-index --break-system-packages /src/pkg', files);
  const copied = 300 + 117 + 2_097_152;
  assert.equal(part(layer, 'local package')?.bytes, copied);
  assert.equal(part(layer, 'build folder')?.bytes, copied);
  assert.equal(part(layer, 'pip cache'), undefined, 'pip caches nothing for a local folder');
});

test('a known wheel: installed = wheel × the ratio measured on the same library, dependencies included, pip cache = the downloads', () => {
  const { layer, report } = lastLayer('FROM python:3.12-slim\nRUN pip install scipy==1.16.2');
  const scipy = wheel('scipy', '1.16.2');
  const numpy = data!.wheels.find((w) => w.name === 'numpy')!;
  const expected = Math.round(scipy.bytes * ratioFor(data!, scipy.ratioSample).ratio) + Math.round(numpy.bytes * ratioFor(data!, numpy.ratioSample).ratio);
  assert.equal(part(layer, 'python packages')?.bytes, expected);
  assert.equal(part(layer, 'python packages')?.source, 'known-package');
  assert.equal(part(layer, 'pip cache')?.bytes, scipy.bytes + numpy.bytes);
  const finding = report.findings.find((f) => f.ruleId === 'pip-no-cache');
  assert.match(finding?.message ?? '', /\(~\d+(\.\d)? MB\)/, 'pip-no-cache quotes the cache part');
});

test('--no-cache-dir, PIP_NO_CACHE_DIR, a cache mount or a purge in the same RUN drop the pip cache part', () => {
  for (const text of [
    'FROM python:3.12-slim\nRUN pip install --no-cache-dir scipy',
    'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install scipy',
    'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install scipy',
    'FROM python:3.12-slim\nRUN pip install scipy && pip cache purge',
    'FROM python:3.12-slim\nRUN pip install scipy && rm -rf /root/.cache/pip',
  ]) {
    const { layer } = lastLayer(text);
    assert.equal(part(layer, 'pip cache'), undefined, text);
    assert.ok(part(layer, 'python packages'), text);
  }
});

test('pip install --upgrade pip uses the measured install of the real pip wheel', () => {
  const { layer } = lastLayer('FROM python:3.12-slim\nRUN python -m pip install --no-cache-dir --upgrade pip');
  assert.equal(layer.figure?.bytes, wheel('pip', '23.2.1').installedBytes);
});

test('unknown wheels, CUDA torch and +cpu builds leave the layer unknown, saying why', () => {
  const unknown = lastLayer('FROM python:3.12-slim\nRUN pip install --no-cache-dir flask').layer;
  assert.equal(unknown.figure, null);
  assert.match(unknown.explanation, /flask/);
  const torch = lastLayer('FROM python:3.12-slim\nRUN pip install --no-cache-dir torch').layer;
  assert.equal(torch.figure, null);
  assert.match(torch.explanation, /NVIDIA/);
  const cpu = lastLayer('FROM python:3.12-slim\nRUN pip install --no-cache-dir torch==2.5.1+cpu').layer;
  assert.equal(cpu.figure, null);
});

test('-r requirements.txt is read from the build context as COPY brought it in', () => {
  const files = { 'requirements.txt': '# data stack\nscipy==1.17.1  # pinned\n--index-url https://example.invalid/simple\n\nnumpy\n' };
  const { layer } = lastLayer('FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt', files);
  const scipy = wheel('scipy', '1.17.1');
  assert.ok((part(layer, 'python packages')?.bytes ?? 0) > scipy.bytes * 3);
  const missing = lastLayer('FROM python:3.12-slim\nWORKDIR /app\nRUN pip install -r requirements.txt', files).layer;
  assert.equal(missing.figure, null, 'a requirements file no COPY brought in is not read');
});

test('uv sync sizes the wheels uv.lock records (Linux x86_64, median across Python versions)', () => {
  const lock = [
    'version = 1', '',
    '[[package]]', 'name = "app"', 'version = "0.1.0"', 'source = { editable = "." }', '',
    '[[package]]', 'name = "tiny"', 'version = "1.0.0"', 'source = { registry = "https://pypi.org/simple" }',
    'sdist = { url = "https://files.example/tiny-1.0.0.tar.gz", hash = "sha256:00", size = 999 }',
    'wheels = [',
    '    { url = "https://files.example/tiny-1.0.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "sha256:01", size = 1000 },',
    '    { url = "https://files.example/tiny-1.0.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "sha256:02", size = 1200 },',
    '    { url = "https://files.example/tiny-1.0.0-cp312-cp312-macosx_11_0_arm64.whl", hash = "sha256:03", size = 5000 },',
    ']', '',
    '[[package]]', 'name = "pure"', 'version = "2.0.0"', 'source = { registry = "https://pypi.org/simple" }',
    'wheels = [', '    { url = "https://files.example/pure-2.0.0-py3-none-any.whl", hash = "sha256:04", size = 300 },', ']', '',
  ].join('\n');
  assert.deepEqual(parseUvLock(lock), [{ name: 'tiny', version: '1.0.0', wheelBytes: 1000 }, { name: 'pure', version: '2.0.0', wheelBytes: 300 }]);
  const { layer } = lastLayer('FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev', { 'pyproject.toml': '[project]\nname="app"\n', 'uv.lock': lock });
  assert.equal(layer.figure?.bytes, Math.round(1300 * ratioFor(data!, undefined).ratio));
});

test('names are compared the PEP 503 way', () => {
  assert.equal(normalizeName('Typing_Extensions'), 'typing-extensions');
  assert.equal(normalizeName('zope.interface'), 'zope-interface');
});
