/// The web System Console's styles: Mattermost's colours (denim theme), readable from 390 px up.
enum WebConsoleStyle {
    static let source = #"""
:root {
    --center-bg: #ffffff;
    --center-text: #3f4350;
    --muted: #6b6f7a;
    --border: #d9dbe0;
    --sidebar-bg: #1e325c;
    --sidebar-text: #ffffff;
    --button-bg: #1c58d9;
    --button-text: #ffffff;
    --danger: #d24b4e;
    --warning-bg: #fff6de;
    --danger-bg: #fbeaea;
    --focus: #5d89ea;
    font-family: "Open Sans", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    font-size: 16px;
    color: var(--center-text);
    background: #f4f5f7;
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; }
.visually-hidden {
    position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }

.btn {
    font: inherit; font-weight: 600; border-radius: 4px; border: 1px solid transparent; padding: 10px 18px;
    cursor: pointer; line-height: 1.2; white-space: nowrap;
}
.btn:disabled { opacity: .5; cursor: not-allowed; }
.btn-sm { font-size: 14px; padding: 6px 12px; }
.btn-primary { background: var(--button-bg); color: var(--button-text); }
.btn-primary:hover:not(:disabled) { background: #1a51c8; }
.btn-tertiary { background: rgba(28, 88, 217, .08); color: var(--button-bg); }
.btn-tertiary:hover:not(:disabled) { background: rgba(28, 88, 217, .16); }
.btn-danger { background: var(--danger); color: #fff; }
.btn-tertiary.btn-danger { background: rgba(210, 75, 78, .08); color: #b73538; }
.btn-tertiary.btn-danger:hover:not(:disabled) { background: rgba(210, 75, 78, .16); }

.AlertBanner { border-radius: 4px; padding: 12px 16px; margin: 0 0 16px; font-weight: 600; }
.AlertBanner.danger { background: var(--danger-bg); color: #a4282b; border: 1px solid #f0c3c4; }
.AlertBanner.warning { background: var(--warning-bg); color: #6b5000; border: 1px solid #f2d98c; }

/* Login (login.scss) */
.login-body {
    display: flex; flex-wrap: wrap; align-items: center; justify-content: center; gap: 48px;
    min-height: 100vh; padding: 32px 20px;
}
.login-body-message { max-width: 480px; }
.login-body-message-title { font-size: 40px; line-height: 1.2; margin: 0 0 12px; color: #1b1d22; }
.login-body-message-subtitle { font-size: 18px; margin: 0; color: var(--muted); }
.login-body-card {
    width: 100%; max-width: 420px; background: var(--center-bg); border: 1px solid var(--border);
    border-radius: 8px; padding: 32px; box-shadow: 0 8px 24px rgba(0, 0, 0, .08);
}
.login-body-card-title { font-size: 22px; font-weight: 600; margin: 0 0 20px; color: #1b1d22; }
.login-body-card-form { display: flex; flex-direction: column; gap: 16px; }
.login-body-card-form input {
    font: inherit; padding: 12px 14px; border: 1px solid #b7bac2; border-radius: 4px; width: 100%;
}
.login-body-card-form input[aria-invalid="true"] { border-color: var(--danger); }
.login-body-card-form .btn { width: 100%; padding: 12px; }

/* Console */
.console-header {
    display: flex; align-items: center; gap: 16px; padding: 10px 20px; background: var(--sidebar-bg);
    color: var(--sidebar-text);
}
.console-brand {
    color: inherit; font-weight: 700; text-decoration: none; font-size: 18px; margin-right: auto; white-space: nowrap;
}
.console-user { font-size: 14px; opacity: .9; }
.console-header .btn-tertiary { background: rgba(255, 255, 255, .12); color: #fff; }
.console-layout { display: flex; min-height: calc(100vh - 52px); }
.admin-sidebar { width: 200px; flex: none; background: #233a6b; color: #fff; padding: 16px 0; }
.admin-sidebar-section {
    margin: 0 0 8px; padding: 0 20px; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; opacity: .7;
}
.admin-sidebar-item { display: block; padding: 8px 20px; color: #fff; text-decoration: none; font-size: 15px; }
.admin-sidebar-item.active { background: rgba(255, 255, 255, .16); border-left: 4px solid #fff; padding-left: 16px; }
.admin-console { flex: 1; min-width: 0; padding: 24px 32px; }
.admin-console__header {
    display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 12px; margin-bottom: 16px;
}
.admin-console__header h1 { margin: 0; font-size: 26px; color: #1b1d22; }
.console-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; margin-bottom: 12px; }
.console-toolbar input {
    font: inherit; font-size: 15px; padding: 8px 12px; border: 1px solid #b7bac2; border-radius: 4px;
    flex: 0 1 320px; min-width: 0;
}
.console-live { margin: 0; color: var(--muted); font-size: 14px; }
.console-pager { display: flex; justify-content: flex-end; gap: 8px; margin-top: 12px; }
.console-pager[hidden] { display: none; }
.console-live-dot {
    display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: #3db887; margin: 0 2px 1px 6px;
}
.console-loading { color: var(--muted); }
.table-wrap { background: var(--center-bg); border: 1px solid var(--border); border-radius: 8px; overflow-x: auto; }
#systemUsersTable { width: 100%; border-collapse: collapse; font-size: 15px; }
#systemUsersTable th {
    text-align: left; font-size: 13px; font-weight: 600; color: var(--muted); padding: 12px 14px;
    border-bottom: 1px solid var(--border); white-space: nowrap;
}
#systemUsersTable td { padding: 10px 12px; border-bottom: 1px solid #eceef1; vertical-align: middle; }
#systemUsersTable tr:last-child td { border-bottom: none; }
#systemUsersTable td[data-column="username"] { font-weight: 600; color: #1b1d22; }
#systemUsersTable td[data-column="sessions"] { font-variant-numeric: tabular-nums; font-weight: 700; }
.row-actions { display: flex; flex-wrap: wrap; gap: 6px; }
#systemUsersTable td[data-column="email"] { overflow-wrap: break-word; }
#systemUsersTable td[data-column="roles"], #systemUsersTable td[data-column="lastActivity"] { white-space: nowrap; }

.error__container {
    max-width: 560px; margin: 48px auto; background: var(--center-bg); border: 1px solid var(--border);
    border-radius: 8px; padding: 32px; text-align: center;
}
.error__container h2 { margin-top: 0; color: #a4282b; }

/* Modal (GenericModal, compass design) */
.modal-backdrop { position: fixed; inset: 0; background: rgba(0, 0, 0, .5); z-index: 10; }
.modal {
    position: fixed; inset: 0; display: flex; align-items: center; justify-content: center; padding: 16px; z-index: 11;
}
.modal-content {
    width: 100%; max-width: 512px; background: var(--center-bg); border-radius: 8px; padding: 28px 32px;
    box-shadow: 0 20px 32px rgba(0, 0, 0, .12);
}
.modal-header { display: flex; align-items: flex-start; justify-content: space-between; gap: 16px; }
.modal-title { margin: 0 0 12px; font-size: 22px; color: #1b1d22; }
.modal .close {
    font-size: 26px; line-height: 1; background: none; border: none; color: var(--muted); cursor: pointer; padding: 0 4px;
}
.ConfirmModal__body { white-space: pre-line; line-height: 1.5; }
.ResetPasswordModal__body { display: flex; flex-direction: column; gap: 8px; }
.ResetPasswordModal__body input {
    font: inherit; padding: 10px 12px; border: 1px solid #b7bac2; border-radius: 4px;
}
.modal-error { color: #a4282b; font-weight: 600; }
.ConfirmModal__footer { display: flex; justify-content: flex-end; gap: 8px; margin-top: 24px; flex-wrap: wrap; }

@media (max-width: 760px) {
    .admin-sidebar { display: none; }
    .admin-console { padding: 16px; }
    .login-body { gap: 24px; align-content: center; }
    .login-body-message-title { font-size: 28px; }
    .login-body-card { padding: 24px 20px; }
    /* The table becomes one card per user, each cell labelled. */
    #systemUsersTable thead { display: none; }
    #systemUsersTable, #systemUsersTable tbody, #systemUsersTable tr, #systemUsersTable td { display: block; }
    #systemUsersTable tr { border-bottom: 1px solid var(--border); padding: 8px 0; }
    #systemUsersTable td {
        border: none; padding: 4px 14px; display: grid; grid-template-columns: 104px minmax(0, 1fr); gap: 12px;
        overflow-wrap: anywhere;
    }
    #systemUsersTable td::before { content: attr(data-label); color: var(--muted); font-size: 13px; font-weight: 600; }
    .console-header { padding: 10px 16px; gap: 10px; }
    .console-brand { font-size: 16px; }
    #systemUsersTable td[data-column="actions"] { display: block; padding-top: 8px; }
    #systemUsersTable td[data-column="actions"]::before { display: none; }
    .modal-content { padding: 20px; }
    .ConfirmModal__footer .btn { flex: 1 1 auto; }
}
"""#
}
