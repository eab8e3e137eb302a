package web

import (
	"runtime/debug"
	"sync/atomic"
)

// largeStreamRows is the size of a CSV download after which the server
// gives the memory it freed back to the system (returnMemory): an export of
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
