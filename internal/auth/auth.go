// Package auth owns Portico's credential primitives: password hashing with argon2id,
// random tokens for invites, password resets and sessions (stored only as hashes), and
// rate limiters for sign-in. It knows nothing of users or storage; callers bring those.
package auth
