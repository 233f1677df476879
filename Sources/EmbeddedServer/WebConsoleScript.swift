/// The web System Console's script: plain ES2017, no build step, no dependencies. It talks only to the REST API
/// of this origin, with the session cookie and the CSRF headers Mattermost's web app (Client4) sends.
enum WebConsoleScript {
    static let source = #"""
'use strict';
(() => {
    const CONSOLE_PATH = '/admin_console/user_management/users';
    const LOGIN_PATH = '/login';
    // The table follows logins and revocations within a second: Mattermost sends no event for either.
    const POLL_MS = 500;
    const WAS_LOGGED_IN = 'mmsim.wasLoggedIn';

    function cookie(name) {
        for (const part of document.cookie.split(';')) {
            const [key, ...rest] = part.trim().split('=');
            if (key === name) {
                return decodeURIComponent(rest.join('='));
            }
        }
        return '';
    }

    class APIError extends Error {
        constructor(status, body) {
            super((body && body.message) || `The server answered ${status}.`);
            this.status = status;
            this.id = (body && body.id) || '';
        }
    }

    // Client4's headers: X-Requested-With always, X-CSRF-Token (from the MMCSRF cookie) on writes.
    async function api(method, path, body) {
        const headers = {'X-Requested-With': 'XMLHttpRequest', Accept: 'application/json'};
        if (method !== 'GET') {
            const csrf = cookie('MMCSRF');
            if (csrf) {
                headers['X-CSRF-Token'] = csrf;
            }
        }
        const init = {method, headers, credentials: 'same-origin', cache: 'no-store'};
        if (body !== undefined) {
            headers['Content-Type'] = 'application/json';
            init.body = JSON.stringify(body);
        }
        const response = await fetch('/api/v4' + path, init);
        const text = await response.text();
        let data = null;
        if (text) {
            try {
                data = JSON.parse(text);
            } catch (_) {
                data = null;
            }
        }
        if (!response.ok) {
            throw new APIError(response.status, data);
        }
        return data;
    }

    function element(tag, attributes, text) {
        const node = document.createElement(tag);
        for (const [name, value] of Object.entries(attributes || {})) {
            node.setAttribute(name, value);
        }
        if (text !== undefined) {
            node.textContent = text;
        }
        return node;
    }

    function showAlert(node, text, mode) {
        node.textContent = text;
        node.className = `AlertBanner ${mode || 'danger'}`;
        node.hidden = !text;
    }

    function isSystemAdmin(user) {
        return (user.roles || '').split(' ').includes('system_admin');
    }

    function safeRedirect(target) {
        // Same-origin paths only, as login.tsx checks redirect_to. Its router never leaves the origin, but
        // location.assign does: the URL parser reads `/\host` or `/<tab>/host` as `//host`, so the parsed
        // URL's origin decides.
        if (!target || !/^\/([^/]|$)/.test(target)) {
            return CONSOLE_PATH;
        }
        try {
            const url = new URL(target, location.origin);
            return url.origin === location.origin ? url.pathname + url.search + url.hash : CONSOLE_PATH;
        } catch (_) {
            return CONSOLE_PATH;
        }
    }

    function goToLogin(expired) {
        const query = new URLSearchParams({redirect_to: location.pathname});
        if (expired) {
            query.set('extra', 'expired');
        }
        localStorage.removeItem(WAS_LOGGED_IN);
        location.assign(`${LOGIN_PATH}?${query}`);
    }

    async function logOut() {
        localStorage.removeItem(WAS_LOGGED_IN);
        try {
            await api('POST', '/users/logout');
        } finally {
            location.assign(LOGIN_PATH);
        }
    }

    // ---- Login page (login.tsx) ----

    function loginPage() {
        const form = document.getElementById('loginForm');
        const loginInput = document.getElementById('input_loginId');
        const passwordInput = document.getElementById('input_password-input');
        const button = document.getElementById('saveSetting');
        const alert = document.getElementById('loginAlert');
        const params = new URLSearchParams(location.search);
        if (params.get('extra') === 'expired') {
            showAlert(alert, 'Your session has expired. Please log in again.', 'warning');
        }

        function fail(message) {
            showAlert(alert, message, 'danger');
            loginInput.setAttribute('aria-invalid', 'true');
            passwordInput.setAttribute('aria-invalid', 'true');
        }

        for (const input of [loginInput, passwordInput]) {
            input.addEventListener('input', () => {
                if (alert.classList.contains('danger')) {
                    showAlert(alert, '');
                }
                loginInput.removeAttribute('aria-invalid');
                passwordInput.removeAttribute('aria-invalid');
            });
        }

        // Enter in either field submits the form.
        form.addEventListener('submit', async (event) => {
            event.preventDefault();
            const loginId = loginInput.value.trim().toLowerCase();
            const password = passwordInput.value;
            if (!loginId) {
                fail('Please enter your email or username');
                loginInput.focus();
                return;
            }
            if (!password) {
                fail('Please enter your password');
                passwordInput.focus();
                return;
            }
            button.disabled = true;
            button.textContent = 'Logging in…';
            try {
                const user = await api('POST', '/users/login', {login_id: loginId, password});
                localStorage.setItem(WAS_LOGGED_IN, 'true');
                location.assign(isSystemAdmin(user) ? safeRedirect(params.get('redirect_to')) : CONSOLE_PATH);
            } catch (error) {
                button.disabled = false;
                button.textContent = 'Log in';
                if (error.id === 'api.user.login.invalid_credentials_email_username') {
                    fail('The email/username or password is invalid.');
                } else if (error.id === 'api.user.check_user_password.invalid.app_error') {
                    fail('Your password is incorrect.');
                } else {
                    fail(error.message);
                }
                passwordInput.focus();
            }
        });
    }

    // ---- Modals (confirm_modal.tsx, reset_password_modal.tsx) ----

    let openModal = null;

    // A dialog with Mattermost's ids; `body` is a node, `onConfirm` resolves to true to close it.
    function showModal({id, title, body, confirmText, destructive, onConfirm}) {
        if (openModal) {
            openModal.close();
        }
        const opener = document.activeElement;
        const backdrop = element('div', {class: 'modal-backdrop'});
        const dialog = element('div', {
            id, class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': `${id}Label`,
        });
        const content = element('div', {class: 'modal-content'});
        const header = element('div', {class: 'modal-header'});
        header.append(element('h2', {id: `${id}Label`, class: 'modal-title'}, title));
        const close = element('button', {type: 'button', class: 'close', 'aria-label': 'Close'}, '×');
        header.append(close);
        const error = element('p', {class: 'modal-error', role: 'alert'});
        error.hidden = true;
        const footer = element('div', {class: 'ConfirmModal__footer'});
        const cancel = element('button', {
            type: 'button', id: 'cancelModalButton', 'data-testid': 'cancel-button', class: 'btn btn-tertiary',
        }, 'Cancel');
        const confirm = element('button', {
            type: 'button', id: 'confirmModalButton', class: destructive ? 'btn btn-danger' : 'btn btn-primary',
        }, confirmText);
        footer.append(cancel, confirm);
        content.append(header, body, error, footer);
        dialog.append(content);
        document.body.append(backdrop, dialog);
        document.getElementById('adminConsoleWrapper')?.setAttribute('aria-hidden', 'true');

        const modal = {
            close() {
                dialog.remove();
                backdrop.remove();
                document.getElementById('adminConsoleWrapper')?.removeAttribute('aria-hidden');
                openModal = null;
                if (opener && document.contains(opener) && typeof opener.focus === 'function') {
                    opener.focus();
                }
            },
            fail(message) {
                error.textContent = message;
                error.hidden = false;
            },
        };
        async function runConfirm() {
            confirm.disabled = true;
            try {
                if (await onConfirm(modal)) {
                    modal.close();
                }
            } finally {
                confirm.disabled = false;
            }
        }
        cancel.addEventListener('click', () => modal.close());
        close.addEventListener('click', () => modal.close());
        confirm.addEventListener('click', runConfirm);
        dialog.addEventListener('keydown', (event) => {
            if (event.key === 'Escape') {
                event.preventDefault();
                modal.close();
            } else if (event.key === 'Tab') {
                // Keep the focus inside the dialog.
                const focusable = [...dialog.querySelectorAll('button, input')].filter((node) => !node.disabled);
                const first = focusable[0];
                const last = focusable[focusable.length - 1];
                if (event.shiftKey && document.activeElement === first) {
                    event.preventDefault();
                    last.focus();
                } else if (!event.shiftKey && document.activeElement === last) {
                    event.preventDefault();
                    first.focus();
                }
            }
        });
        openModal = modal;
        const input = dialog.querySelector('input');
        if (input) {
            input.addEventListener('keydown', (event) => {
                if (event.key === 'Enter') {
                    event.preventDefault();
                    runConfirm();
                }
            });
            input.focus();
        } else {
            confirm.focus();
        }
        return modal;
    }

    function confirmModal({title, message, confirmText, onConfirm}) {
        const body = element('div', {id: 'confirmModalBody', class: 'ConfirmModal__body'}, message);
        return showModal({id: 'confirmModal', title, body, confirmText, destructive: true, onConfirm});
    }

    // ---- Users page (system_users.tsx) ----

    function usersPage() {
        const wrapper = document.getElementById('adminConsoleWrapper');
        const loading = document.getElementById('consoleLoading');
        const section = document.getElementById('systemUsersSection');
        const alert = document.getElementById('consoleAlert');
        const tbody = document.querySelector('#systemUsersTable tbody');
        const rows = new Map();
        const search = document.getElementById('searchUsers');
        const pager = document.getElementById('usersPager');
        const previousPage = document.getElementById('previousPage');
        const nextPage = document.getElementById('nextPage');
        // The list as Mattermost's shows it: 50 a page, or the matches of a search (username or email prefix).
        const PAGE_SIZE = 50;
        const view = {page: 0, term: ''};
        let me = null;
        let timer = null;
        let inFlight = null;
        let stopped = true;

        function relative(millis) {
            if (!millis) {
                return '—';
            }
            const seconds = Math.max(0, Math.round((Date.now() - millis) / 1000));
            if (seconds < 60) {
                return 'just now';
            }
            const minutes = Math.round(seconds / 60);
            if (minutes < 60) {
                return `${minutes} min ago`;
            }
            const hours = Math.round(minutes / 60);
            return hours < 48 ? `${hours} h ago` : new Date(millis).toLocaleDateString();
        }

        function roleText(user) {
            if (user.delete_at > 0) {
                return 'Deactivated';
            }
            return isSystemAdmin(user) ? 'System Admin' : 'Member';
        }

        function setText(node, text) {
            if (node.textContent !== text) {
                node.textContent = text;
            }
        }

        function buildRow() {
            const tr = element('tr');
            const cells = {};
            for (const [column, label] of [
                ['username', 'User details'], ['email', 'Email'], ['roles', 'Roles'], ['active', 'Active'],
                ['sessions', 'Sessions'], ['lastActivity', 'Last activity'], ['actions', 'Actions'],
            ]) {
                cells[column] = element('td', {'data-column': column, 'data-label': label});
                tr.append(cells[column]);
            }
            const buttons = {
                removeSessions: element('button', {type: 'button', class: 'btn btn-tertiary btn-sm'}, 'Revoke sessions'),
                toggleActive: element('button', {type: 'button', class: 'btn btn-tertiary btn-sm'}),
                resetPassword: element('button', {type: 'button', class: 'btn btn-tertiary btn-sm'}, 'Reset password'),
            };
            const group = element('div', {class: 'row-actions', role: 'group'});
            group.append(buttons.removeSessions, buttons.toggleActive, buttons.resetPassword);
            cells.actions.append(group);
            const row = {tr, cells, buttons, user: null};
            buttons.removeSessions.addEventListener('click', () => revokeUserSessions(row.user));
            buttons.toggleActive.addEventListener('click', () => toggleActive(row.user));
            buttons.resetPassword.addEventListener('click', () => resetPassword(row.user));
            return row;
        }

        function render(users, sessionLists, listed) {
            const order = users
                .map((user, index) => ({user, sessions: sessionLists[index]}))
                .sort((a, b) => a.user.username.localeCompare(b.user.username));
            const seen = new Set();
            order.forEach(({user, sessions}, index) => {
                seen.add(user.id);
                let row = rows.get(user.id);
                if (!row) {
                    row = buildRow();
                    rows.set(user.id, row);
                }
                row.user = user;
                // Moving a row that holds the focus would drop it: only move rows that are out of place.
                if (tbody.children[index] !== row.tr) {
                    tbody.insertBefore(row.tr, tbody.children[index] || null);
                }
                const prefix = `actionMenuItem-systemUsersTable-${index}`;
                row.tr.dataset.username = user.username;
                row.tr.dataset.userId = user.id;
                row.buttons.removeSessions.id = `${prefix}-removeSessions`;
                row.buttons.toggleActive.id = `${prefix}-${user.delete_at > 0 ? 'active' : 'deactivate'}`;
                row.buttons.resetPassword.id = `${prefix}-resetPassword`;
                setText(row.cells.username, user.username);
                setText(row.cells.email, user.email || '');
                setText(row.cells.roles, roleText(user));
                setText(row.cells.active, user.delete_at > 0 ? 'No' : 'Yes');
                const count = sessions === null ? '?' : String(sessions.length);
                setText(row.cells.sessions, count);
                row.cells.sessions.dataset.count = count;
                const last = sessions ? Math.max(0, ...sessions.map((s) => s.last_activity_at || s.create_at || 0)) : 0;
                setText(row.cells.lastActivity, relative(last));
                row.cells.lastActivity.title = last ? new Date(last).toISOString() : '';
                const name = user.username;
                row.buttons.removeSessions.disabled = user.delete_at > 0;
                row.buttons.removeSessions.setAttribute('aria-label', `Revoke sessions of ${name}`);
                setText(row.buttons.toggleActive, user.delete_at > 0 ? 'Activate' : 'Deactivate');
                row.buttons.toggleActive.classList.toggle('btn-danger', user.delete_at === 0);
                row.buttons.toggleActive.setAttribute('aria-label', `${user.delete_at > 0 ? 'Activate' : 'Deactivate'} ${name}`);
                row.buttons.resetPassword.setAttribute('aria-label', `Reset password of ${name}`);
            });
            for (const [id, row] of rows) {
                if (!seen.has(id)) {
                    row.tr.remove();
                    rows.delete(id);
                }
            }
            const first = listed.page * PAGE_SIZE;
            let count;
            if (listed.term) {
                count = users.length === 0 ? `No users match “${listed.term}”`
                    : listed.more ? `The first ${users.length} users matching “${listed.term}”: type more to narrow`
                        : `${users.length} user${users.length === 1 ? '' : 's'} matching “${listed.term}”`;
            } else if (listed.page === 0 && !listed.more) {
                count = `${users.length} user${users.length === 1 ? '' : 's'}`;
            } else {
                count = `Users ${first + 1}–${first + users.length}`;
            }
            setText(document.getElementById('userCount'), count);
            pager.hidden = Boolean(listed.term) || (listed.page === 0 && !listed.more);
            previousPage.disabled = listed.page === 0;
            nextPage.disabled = !listed.more;
        }

        // One page of users and whether a next one exists (the user after it, as page × 1 of one per page), or a
        // search's matches (one more asked for than shown).
        async function listUsers(listed) {
            if (listed.term) {
                const found = await api('POST', '/users/search', {term: listed.term, allow_inactive: true, limit: PAGE_SIZE + 1});
                return {users: found.slice(0, PAGE_SIZE), more: found.length > PAGE_SIZE};
            }
            const [users, after] = await Promise.all([
                api('GET', `/users?page=${listed.page}&per_page=${PAGE_SIZE}`),
                api('GET', `/users?page=${(listed.page + 1) * PAGE_SIZE}&per_page=1`),
            ]);
            return {users, more: after.length > 0};
        }

        async function refresh() {
            const listed = {...view};
            const asked = listed.page;
            let {users, more} = await listUsers(listed);
            // Past the last page (users gone, or fast clicks): back to the last page that has users.
            while (users.length === 0 && listed.page > 0 && !listed.term) {
                listed.page -= 1;
                ({users, more} = await listUsers(listed));
            }
            // The view moves back with it only if it still asks for a page past the end (not a new choice).
            if (listed.page < asked && view.page >= asked && view.term === listed.term) {
                view.page = listed.page;
            }
            const sessionLists = await Promise.all(users.map((user) =>
                api('GET', `/users/${user.id}/sessions`).catch((error) => {
                    if (error.status === 401) {
                        throw error;
                    }
                    return null;
                })));
            // The page or the search changed while this was asked: the next refresh shows the new one.
            if (listed.page === view.page && listed.term === view.term) {
                render(users, sessionLists, {...listed, more});
            }
        }

        // A new page or search: asked at once, not at the next poll.
        async function show(page, term) {
            view.page = page;
            view.term = term;
            // Until that page is drawn its buttons wait: a second click would skip a page not yet seen.
            previousPage.disabled = true;
            nextPage.disabled = true;
            if (inFlight) {
                await inFlight;
            }
            // Stopped, or another change already asked again (it reads `view` as it starts).
            if (stopped || inFlight) {
                return;
            }
            clearTimeout(timer);
            timer = null;
            tick();
        }

        // `source` 'poll': the next good poll clears the message; anything else stays until the next action.
        function handle(error, source) {
            if (error.status === 401) {
                stopped = true;
                goToLogin(localStorage.getItem(WAS_LOGGED_IN) === 'true');
                return;
            }
            showAlert(alert, error instanceof APIError ? error.message : 'Cannot reach the server.', 'danger');
            alert.dataset.source = source || 'action';
        }

        async function tick() {
            timer = null;
            inFlight = refresh().then(() => {
                if (alert.dataset.source === 'poll') {
                    showAlert(alert, '');
                }
            }, (error) => handle(error, 'poll'));
            await inFlight;
            inFlight = null;
            if (!stopped) {
                timer = setTimeout(tick, POLL_MS);
            }
        }

        function startPolling() {
            if (stopped) {
                stopped = false;
                tick();
            }
        }

        // Before a call that ends our own session: no poll may run into the 401 that follows.
        async function stopPolling() {
            stopped = true;
            clearTimeout(timer);
            timer = null;
            if (inFlight) {
                await inFlight;
            }
        }

        async function act(modal, call, endsOwnSession) {
            showAlert(alert, '');
            if (endsOwnSession) {
                await stopPolling();
            }
            try {
                await call();
            } catch (error) {
                if (error.status === 401) {
                    handle(error);
                    return false;
                }
                modal.fail(error.message);
                startPolling();
                return false;
            }
            if (endsOwnSession) {
                // emitUserLoggedOutEvent: log out, then the login page.
                await logOut();
                return false;
            }
            await refresh().catch((error) => handle(error, 'poll'));
            return true;
        }

        function revokeAll() {
            confirmModal({
                title: 'Revoke all sessions in the system',
                message: 'This action revokes all sessions in the system. All users will be logged out from all devices, including your session. Are you sure you want to revoke all sessions?',
                confirmText: 'Revoke All Sessions',
                onConfirm: (modal) => act(modal, () => api('POST', '/users/sessions/revoke/all'), true),
            });
        }

        function revokeUserSessions(user) {
            const name = user.username;
            confirmModal({
                title: `Revoke Sessions for ${name}`,
                message: `This action revokes all sessions for ${name}. They will be logged out from all devices. Are you sure you want to revoke all sessions for ${name}?`,
                confirmText: 'Revoke',
                onConfirm: (modal) => act(modal, () => api('POST', `/users/${user.id}/sessions/revoke/all`), user.id === me.id),
            });
        }

        function toggleActive(user) {
            if (user.delete_at > 0) {
                // Mattermost activates at once, without a dialog.
                showAlert(alert, '');
                api('PUT', `/users/${user.id}/active`, {active: true}).then(() => refresh()).catch((error) => handle(error));
                return;
            }
            const name = user.username;
            confirmModal({
                title: `Deactivate ${name}`,
                message: `This action deactivates ${name}. They will be logged out and not have access to any teams or channels on this system.\nAre you sure you want to deactivate ${name}?`,
                confirmText: 'Deactivate',
                onConfirm: (modal) => act(modal, () => api('PUT', `/users/${user.id}/active`, {active: false}), user.id === me.id),
            });
        }

        function resetPassword(user) {
            const name = [user.first_name, user.last_name].filter(Boolean).join(' ') || user.username;
            const body = element('div', {class: 'ResetPasswordModal__body'});
            const label = element('label', {for: 'resetPasswordNewPassword'}, 'New password');
            const input = element('input', {
                id: 'resetPasswordNewPassword', type: 'password', name: 'newPassword', autocomplete: 'new-password',
                placeholder: 'Enter new password',
            });
            body.append(label, input);
            showModal({
                id: 'resetPasswordModal', title: `Reset password for ${name}`, body, confirmText: 'Reset',
                destructive: false,
                onConfirm: async (modal) => {
                    try {
                        await api('PUT', `/users/${user.id}/password`, {new_password: input.value});
                    } catch (error) {
                        if (error.status === 401) {
                            handle(error);
                            return false;
                        }
                        modal.fail(error.message);
                        return false;
                    }
                    await refresh().catch((error) => handle(error, 'poll'));
                    return true;
                },
            });
        }

        async function start() {
            // As the web app: no MMUSERID cookie, no session to ask about.
            if (!cookie('MMUSERID')) {
                goToLogin(localStorage.getItem(WAS_LOGGED_IN) === 'true');
                return;
            }
            try {
                me = await api('GET', '/users/me');
            } catch (error) {
                if (error.status === 401) {
                    goToLogin(localStorage.getItem(WAS_LOGGED_IN) === 'true');
                    return;
                }
                loading.textContent = `Cannot load the System Console: ${error.message}`;
                wrapper.setAttribute('aria-busy', 'false');
                return;
            }
            loading.hidden = true;
            wrapper.setAttribute('aria-busy', 'false');
            document.getElementById('currentUser').textContent = `@${me.username}`;
            const logout = document.getElementById('logoutButton');
            logout.hidden = false;
            logout.addEventListener('click', async () => {
                await stopPolling();
                await logOut();
            });
            if (!isSystemAdmin(me)) {
                // admin_console.tsx keeps anyone without an admin role out of the console.
                const error = document.getElementById('permissionError');
                error.querySelector('[data-testid="errorMessageTitle"]').textContent = 'You do not have the appropriate permissions.';
                document.getElementById('permissionErrorMessage').textContent =
                    `The System Console needs a System Admin. You are logged in as @${me.username}.`;
                document.getElementById('permissionLogoutButton').addEventListener('click', logOut);
                error.hidden = false;
                return;
            }
            section.hidden = false;
            document.getElementById('revokeAllSessionsButton').addEventListener('click', revokeAll);
            // A new page starts at its top, where the pager is not: the buttons sit under a long table.
            previousPage.addEventListener('click', () => {
                show(Math.max(0, view.page - 1), view.term);
                section.scrollIntoView();
            });
            nextPage.addEventListener('click', () => {
                show(view.page + 1, view.term);
                section.scrollIntoView();
            });
            let typing = null;
            search.addEventListener('input', () => {
                clearTimeout(typing);
                typing = setTimeout(() => show(0, search.value.trim().replace(/^@/, '')), 200);
            });
            startPolling();
        }

        start();
    }

    document.addEventListener('DOMContentLoaded', () => {
        if (document.body.dataset.page === 'login') {
            loginPage();
        } else if (document.body.dataset.page === 'users') {
            usersPage();
        }
    });
})();
"""#
}
