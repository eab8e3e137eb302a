package licensing

// PatentSet describes a set of patents the way a grant's scope or an
// ownership does, without listing them: storage turns it into one indexed
// query, so that a set of hundreds of thousands of patents is streamed,
// never held. Every condition that is set must hold; an empty PatentSet
// takes in nothing.
type PatentSet struct {
	// HeldBy: held, by the chain of title, on at least one day of one of
	// the spans by that span's owner.
	HeldBy []GroupSpan
	// Patents: one of these ids. Families: a member of one of these
	// families. At most one of Patents and Families is set.
	Patents  []int64
	Families []string
	// Narrowing, each where it lists some: one of the tags, one of the
	// standards, one of the offices.
	Tags      []string
	Standards []string
	Offices   []string
}

// Empty reports whether the set names no way in: no holders, patents or
// families.
func (s *PatentSet) Empty() bool {
	return len(s.HeldBy) == 0 && len(s.Patents) == 0 && len(s.Families) == 0
}
