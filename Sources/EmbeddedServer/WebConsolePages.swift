/// The two pages of the web System Console. Element ids and texts are Mattermost's web app's
/// (login.tsx, system_users.tsx, confirm_modal.tsx), so Mattermost's own Cypress steps find them.
enum WebConsolePages {
    private static func page(_ name: String, title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="\(WebConsole.stylePath)">
        <script src="\(WebConsole.scriptPath)" defer></script>
        </head>
        <body data-page="\(name)">
        \(body)
        </body>
        </html>
        """
    }

    static let login = page("login", title: "Mattermost", body: """
        <main class="login-body">
          <div class="login-body-message">
            <h1 class="login-body-message-title">Log in to your account</h1>
            <p class="login-body-message-subtitle">Collaborate with your team in real-time</p>
          </div>
          <div class="login-body-card">
            <p class="login-body-card-title">Log in</p>
            <div id="loginAlert" class="AlertBanner" role="alert" hidden></div>
            <form id="loginForm" class="login-body-card-form" novalidate>
              <label class="visually-hidden" for="input_loginId">Email or Username</label>
              <input id="input_loginId" name="loginId" type="text" placeholder="Email or Username"
                     autocomplete="username" autocapitalize="none" spellcheck="false" autofocus>
              <label class="visually-hidden" for="input_password-input">Password</label>
              <input id="input_password-input" name="password" type="password" placeholder="Password"
                     autocomplete="current-password">
              <button id="saveSetting" type="submit" class="btn btn-primary">Log in</button>
            </form>
          </div>
        </main>
        """)

    static let users = page("users", title: "Users - System Console - Mattermost", body: """
        <header class="console-header">
          <a class="console-brand" href="\(WebConsole.usersPath)">System Console</a>
          <span id="currentUser" class="console-user"></span>
          <button id="logoutButton" type="button" class="btn btn-tertiary btn-sm" hidden>Log out</button>
        </header>
        <div class="console-layout">
          <nav class="admin-sidebar" aria-label="System Console">
            <p class="admin-sidebar-section">User Management</p>
            <a class="admin-sidebar-item active" aria-current="page" href="\(WebConsole.usersPath)">Users</a>
          </nav>
          <main id="adminConsoleWrapper" class="admin-console" aria-busy="true">
            <p id="consoleLoading" class="console-loading">Loading…</p>
            <div id="permissionError" class="error__container" hidden>
              <h2 data-testid="errorMessageTitle"></h2>
              <p id="permissionErrorMessage"></p>
              <button id="permissionLogoutButton" type="button" class="btn btn-primary">Log out</button>
            </div>
            <section id="systemUsersSection" aria-labelledby="systemUsersTitle" hidden>
              <div class="admin-console__header">
                <h1 id="systemUsersTitle">Mattermost Users</h1>
                <button id="revokeAllSessionsButton" type="button" class="btn btn-tertiary btn-danger">Revoke All Sessions</button>
              </div>
              <div id="consoleAlert" class="AlertBanner" role="alert" hidden></div>
              <div class="console-toolbar">
                <input id="searchUsers" type="search" class="form-control" placeholder="Search users" aria-label="Search users by username or email" autocomplete="off" spellcheck="false" maxlength="64">
                <p class="console-live" aria-live="polite"><span id="userCount"></span> <span class="console-live-dot" aria-hidden="true"></span> live</p>
              </div>
              <div class="table-wrap">
                <table id="systemUsersTable">
                  <caption class="visually-hidden">Users and their sessions</caption>
                  <thead>
                    <tr>
                      <th scope="col">User details</th>
                      <th scope="col">Email</th>
                      <th scope="col">Roles</th>
                      <th scope="col">Active</th>
                      <th scope="col">Sessions</th>
                      <th scope="col">Last activity</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody></tbody>
                </table>
              </div>
              <nav id="usersPager" class="console-pager" aria-label="Pages of users" hidden>
                <button id="previousPage" type="button" class="btn btn-tertiary btn-sm">Previous</button>
                <button id="nextPage" type="button" class="btn btn-tertiary btn-sm">Next</button>
              </nav>
            </section>
          </main>
        </div>
        """)
}
