package web

import (
	"runtime/debug"
	"sync/atomic"

	"patentdesk/internal/auth"
)

// largeStreamRows is the size of a CSV download after which the server
// gives the memory it freed back to the system (memoryReturn): an export of
// a whole portfolio or a coverage of hundreds of thousands of rows, not a
// page's list.
const largeStreamRows = 50_000

// memoryReturn gives memory that a large piece of work has freed back to
// the operating system at once. Go keeps freed heap for reuse and hands it
// back over minutes, if at all while the server is idle: after a full
// export or a conflicts recount at a million patents the server would hold
// tens of megabytes more than it needs until the next burst. One return at
// a time runs, in the background, so that the client does not wait for it;
// a request for one while one runs is dropped, since the running one
// returns that memory too.
type memoryReturn struct {
	running atomic.Bool
	free    func() // nil: debug.FreeOSMemory (tests count the calls)
}

// after starts a return of the freed memory, unless one is running.
func (m *memoryReturn) after() {
	if !m.running.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer m.running.Store(false)
		if m.free != nil {
			m.free()
			return
		}
		debug.FreeOSMemory()
	}()
}

// Each Argon2id hash or check of a password fills 19 MiB
// (auth.DefaultPasswordParams) that are garbage once it returns, and Go
// would keep them for minutes: a sign-in before a large download took the
// server's resident memory up by 20–25 MB until long after. The server's
// password work therefore goes through these three, which give that
// memory back after each.

// hashPassword is auth.HashPassword, with the memory given back.
func (s *Server) hashPassword(pw string) (string, error) {
	defer s.memory.after()
	return auth.HashPassword(pw)
}

// verifyPassword is auth.VerifyPassword, with the memory given back.
func (s *Server) verifyPassword(encoded, pw string) (ok, needsRehash bool, err error) {
	defer s.memory.after()
	return auth.VerifyPassword(encoded, pw)
}

// dummyVerify is auth.DummyVerify, with the memory given back.
func (s *Server) dummyVerify(pw string) {
	defer s.memory.after()
	auth.DummyVerify(pw)
}
