-- Headless Neovim (0.7+) with its built-in LSP client against the standalone server, the way the
-- README tells Neovim users to run it (no language-id mapping, no plugins).
--
--   RVN_CASE=sh nvim --headless --clean -u test/e2e/neovim/lsp-test.lua test/e2e/fixtures/workspace/deploy.sh
--
-- RVN_CASE picks the expectations below. RVN_LSP_CMD (space-separated) replaces the server command,
-- e.g. to prove that a broken server fails the test. Prints one line per check and
-- `N passed, N failed`; exits 1 on any failure.

local cases = {
  sh = {
    diagnostic = { code = 'vllm/unknown-flag', text = '--tensor-paralel-size', message = 'did you mean %-%-tensor%-parallel%-size' },
    hover = { word = 'NCCL_SOCKET_IFNAME', expect = 'interface' },
    -- A continued line inside the `vllm serve` command, typed before the --max-model-len line.
    completion = { before = '--max-model-len', insert = '  --tensor-p \\', column = 12, expect = '--tensor-parallel-size' },
  },
  yaml = {
    diagnostic = { code = 'vllm/unknown-flag', text = '--gpu-memory-utilisation', message = 'did you mean %-%-gpu%-memory%-utilization' },
    hover = { word = 'NCCL_DEBUG', expect = 'verbosity' },
    completion = { before = '--max-model-len', insert = '        - --tensor-p', column = 20, expect = '--tensor-parallel-size' },
  },
}

local timeout = tonumber(os.getenv('RVN_TIMEOUT_MS') or '15000')
local function out(s) io.stdout:write(s .. '\n') end
local passed, failed = 0, 0
local function check(name, ok, detail)
  local line = (ok and 'ok - ' or 'not ok - ') .. name
  if detail and detail ~= '' then line = line .. ' # ' .. tostring(detail):gsub('\n', ' '):sub(1, 160) end
  out(line)
  if ok then passed = passed + 1 else failed = failed + 1 end
  return ok
end

local script_dir = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local repo = vim.fn.fnamemodify(script_dir, ':h:h:h')

local function main()
  local case_name = os.getenv('RVN_CASE') or error('RVN_CASE not set (sh or yaml)')
  local case = cases[case_name] or error('unknown RVN_CASE ' .. case_name)
  local cmd = { 'node', repo .. '/bin/rvn-language-server', '--stdio' }
  if os.getenv('RVN_LSP_CMD') then cmd = vim.split(os.getenv('RVN_LSP_CMD'), ' ', { trimempty = true }) end

  local bufnr = vim.api.nvim_get_current_buf()
  local published = {} -- diagnostics of the latest publish for this buffer, and how many publishes
  local publishes = 0
  local exit_code -- set when the server process ends: stop waiting then
  local client_id = vim.lsp.start_client({
    name = 'rvn',
    cmd = cmd,
    root_dir = vim.fn.getcwd(),
    on_exit = function(code) exit_code = code end,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        if result and vim.uri_to_bufnr(result.uri) == bufnr then
          published = result.diagnostics
          publishes = publishes + 1
        end
        return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      end,
    },
  })
  if not check('client started', client_id ~= nil) then return end
  vim.lsp.buf_attach_client(bufnr, client_id)
  vim.wait(timeout, function()
    local c = vim.lsp.get_client_by_id(client_id)
    return exit_code ~= nil or (c ~= nil and c.initialized)
  end, 20)
  local c = vim.lsp.get_client_by_id(client_id)
  local ready = exit_code == nil and c ~= nil and c.initialized
  if not check('server initialized (' .. vim.bo.filetype .. ')', ready, exit_code and ('server exited with code ' .. exit_code)) then return end

  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local function find(text)
    for i, l in ipairs(lines) do
      local col = l:find(text, 1, true)
      if col then return i - 1, col - 1 end
    end
    error(text .. ' not found in the buffer')
  end

  -- Diagnostics: the expected rule at the exact range, with the did-you-mean message.
  vim.wait(timeout, function() return publishes > 0 and #published > 0 end, 20)
  local want = case.diagnostic
  local line, col = find(want.text)
  local hit
  for _, d in ipairs(published) do
    if d.code == want.code then hit = d end
  end
  check('diagnostic ' .. want.code, hit ~= nil, hit and hit.message or (#published .. ' diagnostic(s)'))
  if hit then
    local r = hit.range
    check('diagnostic range is exact', r.start.line == line and r.start.character == col and r['end'].line == line
      and r['end'].character == col + #want.text, string.format('%d:%d-%d:%d', r.start.line, r.start.character, r['end'].line, r['end'].character))
    check('diagnostic message', hit.message:find(want.message) ~= nil, hit.message)
  end
  check('vim.diagnostic shows it', #vim.diagnostic.get(bufnr) > 0, #vim.diagnostic.get(bufnr) .. ' in vim.diagnostic')

  local function request(method, l, c)
    local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr), position = { line = l, character = c } }
    local responses = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
    local r = responses and responses[client_id]
    return r and r.result, r and r.err
  end

  -- Hover on a variable name: its docs.
  local hl, hc = find(case.hover.word)
  local hover = request('textDocument/hover', hl, hc + 3)
  local htext = ''
  if hover and hover.contents then htext = hover.contents.value or vim.inspect(hover.contents) end
  check('hover on ' .. case.hover.word, htext:find(case.hover.word, 1, true) ~= nil and htext:lower():find(case.hover.expect, 1, true) ~= nil, htext)

  -- Completion after an edit (didChange) in the middle of the command.
  local cl = find(case.completion.before)
  local before_publishes = publishes
  vim.api.nvim_buf_set_lines(bufnr, cl, cl, false, { case.completion.insert })
  local result = request('textDocument/completion', cl, case.completion.column)
  local items = result and (result.items or result) or {}
  local labels = {}
  for _, it in ipairs(items) do labels[#labels + 1] = it.label end
  check('completion offers ' .. case.completion.expect, vim.tbl_contains(labels, case.completion.expect),
    #labels .. ' items: ' .. table.concat(vim.list_slice(labels, 1, 5), ','))
  check('diagnostics republished after the edit', vim.wait(timeout, function() return publishes > before_publishes end, 20))

  vim.lsp.stop_client(client_id)
  vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
end

vim.api.nvim_create_autocmd('VimEnter', {
  callback = function()
    local ok, e = pcall(main)
    if not ok then check('harness', false, e) end
    out(string.format('%d passed, %d failed', passed, failed))
    if failed > 0 or passed == 0 then vim.cmd('cq') else vim.cmd('qa!') end
  end,
})
