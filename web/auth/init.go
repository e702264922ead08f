package auth

// Init writes the users file, with the users it holds (none when it did not
// exist), so that a deployment starts with the file in place, 0600.
func (u *Users) Init() error {
	return u.update(func(users []User) ([]User, error) { return users, nil })
}
