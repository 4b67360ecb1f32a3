// clipstream's page: search by text or image, browse an item and its neighbours. Plain script, no
// build step and nothing fetched from outside this service. Data from the API is only ever put in
// the page through textContent and attributes, never parsed as HTML.
'use strict';

const TOKEN_KEY = 'clipstream.token';
const $ = (id) => document.getElementById(id);

// ---- API access: every call carries the pasted token, if any, and every failure is shown. ----

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

function authHeaders(extra) {
  const headers = Object.assign({}, extra || {});
  if (token()) {
    headers.Authorization = 'Bearer ' + token();
  }
  return headers;
}

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, body) {
  const init = body === undefined
    ? { headers: authHeaders() }
    : { method: 'POST', headers: authHeaders({ 'Content-Type': 'application/json' }), body: JSON.stringify(body) };
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'the service did not answer (' + e.message + '); is it still running?');
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    // Not JSON: reported below with the status.
  }
  if (!response.ok) {
    let message = (json && json.error) || text || response.statusText;
    if (response.status === 401) {
      message += '\nPaste the API token under "API token" at the top of the page.';
    }
    throw new ApiError(response.status, response.status + ': ' + message);
  }
  if (json === null) {
    throw new ApiError(response.status, 'the service answered ' + path + ' with something that is not JSON');
  }
  return json;
}

function showError(error) {
  const box = $('message');
  box.className = '';
  box.textContent = error instanceof Error ? error.message : String(error);
  box.hidden = false;
}

function clearMessage() {
  $('message').hidden = true;
  $('message').textContent = '';
}

// Object URLs made for authorised image loads, released when their results are replaced.
let objectUrls = [];

function releaseImages() {
  objectUrls.forEach((url) => URL.revokeObjectURL(url));
  objectUrls = [];
}

/**
 * Loads an API image into img. Without a token the browser loads it itself (img src); with one,
 * the page fetches it with the Authorization header, since an img tag cannot send one. A thumbnail
 * that redirects (an image indexed by URL) is then loaded from the item's imageUrl.
 */
async function loadApiImage(img, path, itemId) {
  if (!token()) {
    img.src = path;
    return;
  }
  const response = await fetch(path, { headers: authHeaders(), redirect: 'manual' });
  if (response.type === 'opaqueredirect' && itemId) {
    const item = await api('/v1/items/' + encodeURIComponent(itemId));
    if (!item.imageUrl) {
      throw new Error('no image');
    }
    img.src = item.imageUrl;
    return;
  }
  if (!response.ok) {
    throw new Error(response.status + ' for ' + path);
  }
  const url = URL.createObjectURL(await response.blob());
  objectUrls.push(url);
  img.src = url;
}

function thumbnailPath(id) {
  return '/v1/items/' + encodeURIComponent(id) + '/thumbnail';
}

// ---- Rendering hits. ----

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined && text !== null) {
    node.textContent = text;
  }
  return node;
}

function itemHref(id) {
  return '/?item=' + encodeURIComponent(id);
}

function score(value) {
  return typeof value === 'number' ? value.toFixed(3) : '';
}

function labelChips(labels) {
  if (!Array.isArray(labels) || labels.length === 0) {
    return null;
  }
  const box = el('div', 'labels');
  for (const label of labels) {
    if (!label || typeof label.label !== 'string') {
      continue;
    }
    const chip = el('span', 'label-chip', label.label);
    if (typeof label.score === 'number') {
      chip.title = 'score ' + label.score.toFixed(3);
    }
    box.appendChild(chip);
  }
  return box.childElementCount ? box : null;
}

/** A frame holding the item's thumbnail, or a note saying why there is none. */
function thumbnailFrame(id) {
  const frame = el('div', 'frame');
  const img = el('img', 'thumb');
  img.alt = id;
  img.loading = 'lazy';
  const missing = () => {
    img.remove();
    if (!frame.querySelector('.no-preview')) {
      frame.appendChild(el('span', 'no-preview', 'no preview kept for this image'));
    }
  };
  img.addEventListener('error', missing);
  frame.appendChild(img);
  loadApiImage(img, thumbnailPath(id), id).catch(missing);
  return frame;
}

/**
 * The "where?" toggle: the explain endpoint's heat-map laid over the thumbnail. It is shown only
 * when the endpoint answers 200 with an image; otherwise the button says no map is available.
 */
function whereToggle(id, query, frame) {
  const button = el('button', 'where', 'where?');
  button.type = 'button';
  button.setAttribute('aria-pressed', 'false');
  button.title = 'show where in the image the text matches';
  let overlay = null;
  button.addEventListener('click', async (event) => {
    event.preventDefault();
    event.stopPropagation();
    if (overlay) {
      const showing = !overlay.hidden;
      overlay.hidden = showing;
      button.setAttribute('aria-pressed', String(!showing));
      return;
    }
    button.disabled = true;
    try {
      const response = await fetch('/v1/items/' + encodeURIComponent(id) + '/explain?q=' + encodeURIComponent(query),
        { headers: authHeaders() });
      const type = response.headers.get('Content-Type') || '';
      if (response.status !== 200 || !type.startsWith('image/')) {
        throw new Error(String(response.status));
      }
      const url = URL.createObjectURL(await response.blob());
      objectUrls.push(url);
      overlay = el('img', 'explain-overlay');
      overlay.alt = 'where "' + query + '" matches';
      overlay.src = url;
      frame.appendChild(overlay);
      button.setAttribute('aria-pressed', 'true');
      button.disabled = false;
    } catch (e) {
      button.textContent = 'no map';
      button.title = 'no heat-map is available for this image';
    }
  });
  return button;
}

function imageCard(hit, query) {
  const card = el('div', 'card result-image');
  card.dataset.id = hit.id;
  const link = el('a', 'open');
  link.href = itemHref(hit.id);
  const frame = thumbnailFrame(hit.id);
  link.appendChild(frame);
  card.appendChild(link);
  const meta = el('div', 'meta');
  meta.appendChild(el('span', 'score', score(hit.score)));
  const id = el('span', 'id', hit.id);
  id.title = hit.id;
  meta.appendChild(id);
  const chips = labelChips(hit.labels);
  if (chips) {
    meta.appendChild(chips);
  }
  if (query) {
    meta.appendChild(whereToggle(hit.id, query, frame));
  }
  card.appendChild(meta);
  return card;
}

function captionItem(hit) {
  const item = el('li', 'result-caption');
  item.dataset.id = hit.id;
  const link = el('a', 'text', hit.text || hit.id);
  link.href = itemHref(hit.id);
  item.appendChild(link);
  const meta = el('span', 'meta-line hint');
  meta.appendChild(el('span', 'score', score(hit.score)));
  meta.appendChild(document.createTextNode(' · ' + hit.id));
  item.appendChild(meta);
  const chips = labelChips(hit.labels);
  if (chips) {
    item.appendChild(chips);
  }
  return item;
}

function renderHits(hits, grid, list, query) {
  grid.replaceChildren();
  list.replaceChildren();
  for (const hit of hits) {
    if (hit.modality === 'IMAGE') {
      grid.appendChild(imageCard(hit, query));
    } else {
      list.appendChild(captionItem(hit));
    }
  }
}

function describeResult(json) {
  let line = json.hits.length + ' result' + (json.hits.length === 1 ? '' : 's') + ' in ' + json.tookMs + ' ms';
  if (json.missingPartitions && json.missingPartitions.length) {
    line += ' (partial: ' + json.missingPartitions.join(', ') + ' did not answer)';
  }
  return line;
}

// ---- Search view. ----

let selectedFile = null;

function chooseFile(file) {
  if (!file) {
    return;
  }
  if (file.type && !file.type.startsWith('image/')) {
    showError(file.name + ' is not an image (' + file.type + '); choose a JPEG, PNG, GIF, BMP or WebP file');
    return;
  }
  clearMessage();
  selectedFile = file;
  const preview = $('file-preview');
  if (preview.src) {
    URL.revokeObjectURL(preview.src);
  }
  preview.src = URL.createObjectURL(file);
  preview.hidden = false;
  preview.onerror = () => { preview.hidden = true; };
  $('clear-image').hidden = false;
  $('drop-label').textContent = 'searching by image: ' + file.name;
  $('query').disabled = true;
}

function clearFile() {
  selectedFile = null;
  $('file').value = '';
  const preview = $('file-preview');
  if (preview.src) {
    URL.revokeObjectURL(preview.src);
  }
  preview.removeAttribute('src');
  preview.hidden = true;
  $('clear-image').hidden = true;
  $('drop-label').replaceChildren(document.createTextNode('…or drop an image here, or '));
  const label = el('label', 'link', 'choose a file');
  label.htmlFor = 'file';
  $('drop-label').appendChild(label);
  $('query').disabled = false;
}

function readAsDataUrl(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(new Error('could not read ' + file.name + ': ' + reader.error));
    reader.readAsDataURL(file);
  });
}

function addFilterRow(key, value) {
  const row = $('filter-row').content.firstElementChild.cloneNode(true);
  row.querySelector('.filter-key').value = key || '';
  row.querySelector('.filter-value').value = value || '';
  row.querySelector('.remove-filter').addEventListener('click', () => row.remove());
  $('filter-rows').appendChild(row);
}

function readFilters() {
  const filters = {};
  for (const row of document.querySelectorAll('#filter-rows .filter-row')) {
    const key = row.querySelector('.filter-key').value.trim();
    const value = row.querySelector('.filter-value').value;
    if (!key && !value) {
      continue;
    }
    if (!key) {
      throw new Error('a filter has the value "' + value + '" but no key; give the metadata key, e.g. tenant');
    }
    filters[key] = value;
  }
  return filters;
}

async function runSearch(event) {
  event.preventDefault();
  clearMessage();
  const status = $('status');
  let query = null;
  try {
    const body = { target: $('target').value, filters: readFilters() };
    const k = parseInt($('k').value, 10);
    if (!Number.isNaN(k)) {
      body.k = k;
    }
    if (selectedFile) {
      body.imageBase64 = await readAsDataUrl(selectedFile);
    } else {
      query = $('query').value.trim();
      if (!query) {
        throw new Error('type what to look for, or choose an image');
      }
      body.text = query;
    }
    $('search').disabled = true;
    status.textContent = 'searching…';
    const json = await api('/v1/search', body);
    releaseImages();
    renderHits(json.hits, $('image-results'), $('caption-results'), query);
    status.textContent = describeResult(json);
  } catch (e) {
    // Results of an earlier query would read as the answer to this one, so they go.
    releaseImages();
    $('image-results').replaceChildren();
    $('caption-results').replaceChildren();
    status.textContent = '';
    showError(e);
  } finally {
    $('search').disabled = false;
  }
}

function initSearchView() {
  $('search-form').addEventListener('submit', runSearch);
  $('file').addEventListener('change', () => chooseFile($('file').files[0]));
  $('clear-image').addEventListener('click', clearFile);
  $('add-filter').addEventListener('click', () => addFilterRow());
  const drop = $('drop');
  ['dragenter', 'dragover'].forEach((type) => drop.addEventListener(type, (e) => {
    e.preventDefault();
    drop.classList.add('over');
  }));
  ['dragleave', 'drop'].forEach((type) => drop.addEventListener(type, () => drop.classList.remove('over')));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    const files = e.dataTransfer && e.dataTransfer.files;
    if (!files || files.length === 0) {
      showError('nothing to search with was dropped; drop an image file');
      return;
    }
    chooseFile(files[0]);
  });
}

// ---- Item view: the item and its nearest neighbours of both modalities. ----

function detailRow(list, name, value) {
  if (value === undefined || value === null || value === '') {
    return;
  }
  list.appendChild(el('dt', null, name));
  const dd = el('dd', null, typeof value === 'string' ? value : JSON.stringify(value));
  list.appendChild(dd);
  return dd;
}

async function showItem(id) {
  $('search-view').hidden = true;
  $('item-view').hidden = false;
  document.title = id + ' · clipstream';
  const detail = $('item-detail');
  detail.replaceChildren(el('p', 'hint', 'loading ' + id + '…'));
  let item;
  try {
    item = await api('/v1/items/' + encodeURIComponent(id));
  } catch (e) {
    detail.replaceChildren();
    showError(e);
    return;
  }
  detail.replaceChildren();
  if (item.modality === 'IMAGE') {
    detail.appendChild(thumbnailFrame(item.id));
  }
  const list = el('dl');
  list.id = 'item-fields';
  detailRow(list, 'id', item.id);
  detailRow(list, 'modality', item.modality === 'IMAGE' ? 'image' : 'caption');
  detailRow(list, 'caption', item.text);
  if (item.imageId) {
    const dd = detailRow(list, 'describes', item.imageId);
    const link = el('a', null, item.imageId);
    link.href = itemHref(item.imageId);
    dd.replaceChildren(link);
  }
  detailRow(list, 'source', item.imageUrl);
  detailRow(list, 'tenant', item.tenant);
  detailRow(list, 'category', item.category);
  for (const [key, value] of Object.entries(item.metadata || {})) {
    detailRow(list, key, value);
  }
  detailRow(list, 'model', item.modelId);
  if (item.embeddedAtMs) {
    detailRow(list, 'embedded', new Date(item.embeddedAtMs).toISOString());
  }
  detail.appendChild(list);
  const chips = labelChips(item.labels);
  if (chips) {
    detail.appendChild(chips);
  }
  await Promise.all([
    neighbours(id, 'IMAGE', $('neighbour-images'), $('neighbour-captions')),
    neighbours(id, 'TEXT', $('neighbour-images'), $('neighbour-captions')),
  ]);
}

async function neighbours(id, target, grid, list) {
  try {
    const json = await api('/v1/search', { itemId: id, target, k: 12 });
    const hits = json.hits.filter((hit) => hit.modality === target);
    if (target === 'IMAGE') {
      grid.replaceChildren(...hits.map((hit) => imageCard(hit, null)));
      if (!hits.length) {
        grid.replaceChildren(el('p', 'hint', 'no other images indexed'));
      }
    } else {
      list.replaceChildren(...hits.map(captionItem));
      if (!hits.length) {
        list.replaceChildren(el('li', 'hint', 'no captions indexed'));
      }
    }
    if (json.missingPartitions && json.missingPartitions.length) {
      showError('partial neighbours: ' + json.missingPartitions.join(', ') + ' did not answer');
    }
  } catch (e) {
    showError(e);
  }
}

// ---- Token. ----

function initToken() {
  const state = () => {
    $('token-state').textContent = token() ? 'a token is set for this tab' : 'no token set';
  };
  $('save-token').addEventListener('click', () => {
    const value = $('token').value.trim();
    if (!value) {
      showError('the token field is empty; paste the value of http.auth.token');
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, value);
    $('token').value = '';
    clearMessage();
    state();
  });
  $('clear-token').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    state();
  });
  state();
}

window.addEventListener('unhandledrejection', (event) => showError(event.reason));

initToken();
initSearchView();
const itemId = new URLSearchParams(window.location.search).get('item');
if (itemId) {
  showItem(itemId);
}
