/** The `--help` of `pintoken` and of each command, with examples. */

const globalOptions = `Options of every command:
  --profile <name>   the profile to use (default "default", or $PINTOKEN_PROFILE; "mock" with --mock)
  --mock             use a mock Pinterest started in the background on this machine (no app, no account, offline)
  --verbose          log what the token manager does (lock, refresh, save) to stderr, never a token
  -h, --help         this help`;

const exitCodesText = `Exit codes: 0 done, 1 usage error, 2 sign-in needed, 3 Pinterest answered an error,
4 Pinterest could not be reached in time (try again), 5 the profile file cannot be used, 130 interrupted.`;

export const commandHelp: Record<string, string> = {
  pintoken: `pintoken: Pinterest API v5 tokens for scripts, kept fresh, and the API from the shell.

Usage: pintoken <command> [options]

Commands:
  login      sign in with your Pinterest app through the browser, and keep the tokens in a profile
  token      print a valid access token (refreshed first when due), and nothing else
  status     show who a profile is signed in as, its scopes and expiries, and check it with Pinterest
  logout     revoke the profile's token at Pinterest and delete the profile
  profiles   list the profiles
  api        call any Pinterest API v5 operation with the profile's token, print JSON

${globalOptions}
  --version          the version of pintoken

Examples:
  npx @pintoken/cli --mock login        # try it all offline, on a mock Pinterest
  pintoken login --scopes user_accounts:read,boards:read
  curl -H "Authorization: Bearer $(pintoken token)" https://api.pinterest.com/v5/user_account
  pintoken api GET /boards --paginate

${exitCodesText}
Run pintoken <command> --help for a command's options.`,

  login: `Usage: pintoken login [--scopes a,b] [--port N | --redirect-uri URI] [--no-browser] [--profile name]

Signs in with your Pinterest app: opens the browser on Pinterest's consent page (or prints the link), waits on
this machine for Pinterest to send the browser back to the redirect URI, checks its state, exchanges the code and
keeps the tokens in the profile. Your app must list the redirect URI (http://localhost:8085/ by default) at
https://developers.pinterest.com/apps/.

Options:
  --scopes <a,b>           the scopes to ask for (default user_accounts:read,boards:read,pins:read)
  --port <n>               the redirect URI is http://localhost:<n>/ (default 8085)
  --redirect-uri <uri>     another loopback redirect URI your app lists, e.g. http://127.0.0.1:9000/callback
  --no-browser             print the link instead of opening a browser
  --client-id <id>         your app's ID (default $PINTEREST_CLIENT_ID, the profile's, or asked)
  --client-secret <secret> your app's secret (default $PINTEREST_CLIENT_SECRET, the profile's, or asked without
                           showing it; a secret on the command line is visible to other users of this machine)
The app ID and secret are kept in the profile file, because every refresh needs them. PINTEREST_API_BASE_URL and
PINTEREST_AUTHORIZATION_URL point the profile elsewhere than Pinterest's API and consent page (e.g. Pinterest's
sandbox, https://api-sandbox.pinterest.com/v5, or a mock).
${globalOptions}

Examples:
  PINTEREST_CLIENT_ID=1234567 pintoken login          # asks for the secret, hidden
  pintoken login --scopes boards:read,pins:read,pins:write --profile shop
  pintoken login --no-browser --port 9000             # on a remote machine: open the link yourself
  pintoken --mock login                               # the mock's consent page, no real account`,

  token: `Usage: pintoken token [--profile name]

Prints a valid access token and nothing else. When it expires within 5 minutes it is refreshed first, and the new
(rotated) refresh token is saved before the token is printed; many scripts calling at once refresh it once.

${globalOptions}

Examples:
  curl -H "Authorization: Bearer $(pintoken token)" https://api.pinterest.com/v5/user_account
  export PINTEREST_TOKEN=$(pintoken token --profile shop)`,

  status: `Usage: pintoken status [--offline] [--json] [--profile name]

Shows who the profile is signed in as, the app, the scopes, when the access and refresh tokens expire, where the
profile is kept, and whether Pinterest accepts the token (GET /user_account, refreshing first when due).

Options:
  --offline   do not call Pinterest
  --json      print it as JSON (no token in it)
${globalOptions}

Examples:
  pintoken status
  pintoken status --json --offline | jq -r .refreshTokenExpiresAt`,

  logout: `Usage: pintoken logout [--profile name]

Revokes the profile's refresh token at Pinterest (waiting for a refresh under way), then deletes the profile file.
If Pinterest cannot be reached the profile is deleted all the same, and pintoken says so (exit code 4).

${globalOptions}

Examples:
  pintoken logout
  pintoken --mock logout      # also stops the mock Pinterest when no mock profile is left`,

  profiles: `Usage: pintoken profiles [--json]

Lists the profiles: who each is signed in as, and whether it can be used. * marks the profile in use.

Options:
  --json      print them as JSON (no token in it)
${globalOptions}

Examples:
  pintoken profiles
  pintoken profiles --json | jq -r '.[].profile'`,

  api: `Usage: pintoken api <METHOD> <path> [-f key=value …] [-F key=value …] [--input file] [--paginate] [--json]

Calls a Pinterest API v5 operation with the profile's token and prints the JSON answer. The method and path are
checked against every operation of Pinterest's API description; path parameters come from the path itself
(/boards/123) or from fields (/boards/{board_id} -f board_id=123). Other fields go to the query when the operation
declares them as query parameters, else into the JSON body. A 401 refreshes the token and tries once more.

Options:
  -f, --raw-field <key=value>   a string field; key[sub]=value nests, key[]=value appends to a list
  -F, --field <key=value>       a typed field: true, false, null, numbers and JSON as such, @file or @- (stdin)
                                as text
  --input <file|->              the JSON body from a file or stdin (fields are added to it)
  --paginate                    follow the bookmark of a paged list, and print every item as one JSON array
  --json                        compact JSON on one line (with --paginate, one item per line)
${globalOptions}

Examples:
  pintoken api GET /user_account
  pintoken api GET /boards --paginate --json | jq -r .name
  pintoken api GET /boards/{board_id}/pins -f board_id=549755885175 -f page_size=50
  pintoken api POST /boards -f name="Recipes" -f privacy=SECRET
  pintoken api POST /pins -f board_id=549755885175 -f media_source[source_type]=image_url \\
    -f media_source[url]=https://example.com/cake.png
  pintoken api PATCH /boards/549755885175 -F description=@notes.txt

On an error answer the body is printed all the same, and the exit code is 3.`,
};
