// Package contextstore keeps named pxctl contexts in the contextconfig file
// that pxctl and pxc write ($HOME/.pxctl/contextconfig), with each token either
// in the OS keyring or inline in the file.
//
// # File format
//
// The file stays readable by pxctl and pxc:
//
//	contextconfig:
//	  current: admin
//	  previous: dev
//	  configurations:
//	    - context: admin
//	      token: ""
//	      identity:
//	        subject: 6f1c2b9e-4d1a-4f5e-9b8a-1c2d3e4f5a6b
//	        name: Storage Administrator
//	        email: storage-admin@example.com
//	      endpoint: http://localhost:9001
//	      pxauth:
//	        tokenstorage: keyring
//	        issuer: openstorage.io
//	        roles:
//	          - system.admin
//	        groups:
//	          - "*"
//	        issuedat: "2025-01-02T03:04:05Z"
//	        expiresat: "2025-01-03T03:04:05Z"
//
// pxauth adds two things that pxctl and pxc ignore: "previous" under
// contextconfig (the context that was current before the last switch) and one
// "pxauth" mapping per context with the storage mode and the non-secret
// claims of its token. Timestamps are written as RFC 3339 strings in UTC and
// read as RFC 3339 strings or as integer Unix seconds.
//
// A context whose "token" is empty has its token in the keyring (service
// "pxauth", user = context name), unless pxauth.tokenstorage is "file". A
// non-empty "token" always wins: that is how pxctl stores tokens, and a tool
// that does not know the pxauth mapping may have replaced the token.
//
// # Keyring items
//
// A token longer than one keyring item takes is split over several items
// of service "pxauth": user NAME holds a header and the first chunk, and
// users NAME#1, NAME#2 and so on hold the rest. The item limit is 2560
// bytes on Windows and 2048 on macOS; the Secret Service on Linux and BSD
// has none, so tokens stay in one item there. The header records the number
// of items and a hash of the token, so a missing or stale part is an error
// and never read as a token. An item without a header is a whole token, as
// earlier versions wrote it. Reads, rewrites and deletes always cover every
// part, and one keyring timeout bounds each of them as a whole. A part never
// replaces the item of a context whose name looks like a part, such as
// "big#1".
//
// # Rewrites
//
// Every change reads the file into a yaml.v3 node tree, edits only the keys
// pxauth reads and encodes the tree again, so unknown keys at every level, key
// order and most comments survive. The encoder normalises the layout (two
// spaces, indented lists) and drops blank lines. A file that does not parse,
// or whose known keys have the wrong types, is reported with its path and
// line and never rewritten.
//
// Writers take an exclusive lock on a file beside the contextconfig file
// (contextconfig.lock), write a temporary file in the same directory, fsync
// it and rename it over the old file, so readers never see a partial file and
// take no lock. No keyring call runs under that lock: keyring items change
// under a second lock (contextconfig.keyring.lock), so a keyring that hangs
// delays only the writers that need the keyring. Lock files are never
// deleted: removing one while another process waits on it would let two
// writers hold "the" lock at once. When the contextconfig path is a symlink,
// the target is locked and rewritten and the link is kept.
//
// A contextconfig path that exists but is not a regular file (a directory,
// a FIFO, a device such as /dev/null or a socket) is rejected by every read
// and write, and so is a file larger than 64 MiB. A file with 10,000
// contexts and inline tokens of about 900 bytes is about 11 MB.
//
// On Unix, a writer that runs as root keeps the owner of the file it
// replaces. A new file, the lock files and a new directory get the owner of
// the directory that holds them, so a run with sudo leaves no file the user
// cannot open. A directory named .pxctl that the current user owns loses its
// group and other permissions on every write.
package contextstore
