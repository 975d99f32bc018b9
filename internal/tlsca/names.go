package tlsca

import (
	"net"
	"net/netip"
	"slices"
	"strings"
)

// Names lists what a certificate is for: DNS host names and IP addresses.
type Names struct {
	// DNS holds host names such as "localhost" or "office-server.lan".
	DNS []string
	// IPs holds IP addresses such as 127.0.0.1 or ::1.
	IPs []netip.Addr
}

// LocalNames returns the names under which this machine is reachable without a public
// certificate authority: localhost, 127.0.0.1, ::1, hostname, the addresses of the
// machine's network interfaces that are up, and publicHost (a host name or an IP address,
// without port) when it is not empty. Loopback and link-local interface addresses are
// left out: the loopback ones are listed already, and link-local ones cannot be used in
// a URL without a zone. If the interfaces cannot be listed, they are left out too, and so
// is a hostname or publicHost that is not a valid host name.
func LocalNames(hostname string, publicHost string) Names {
	names := Names{
		DNS: []string{"localhost"},
		IPs: []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()},
	}
	names = names.add(hostname)
	names.IPs = append(names.IPs, interfaceAddrs()...)
	names = names.add(publicHost)
	valid, _ := names.normalized()
	return valid
}

// add appends host to the DNS names or, when it is an IP address, to the IPs.
func (n Names) add(host string) Names {
	if host == "" {
		return n
	}
	if addr, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		n.IPs = append(n.IPs, addr)
		return n
	}
	n.DNS = append(n.DNS, host)
	return n
}

// interfaceAddrs returns the unicast addresses of the interfaces that are up, except
// loopback and link-local ones.
func interfaceAddrs() []netip.Addr {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil
	}

	var addrs []netip.Addr
	for _, iface := range ifaces {
		if iface.Flags&net.FlagUp == 0 || iface.Flags&net.FlagLoopback != 0 {
			continue
		}
		ifaceAddrs, err := iface.Addrs()
		if err != nil {
			continue
		}
		addrs = append(addrs, usableAddrs(ifaceAddrs)...)
	}
	return addrs
}

// usableAddrs keeps the global or private unicast addresses among addrs.
func usableAddrs(addrs []net.Addr) []netip.Addr {
	var usable []netip.Addr
	for _, a := range addrs {
		prefix, err := netip.ParsePrefix(a.String())
		if err != nil {
			continue
		}
		ip := prefix.Addr().Unmap()
		if ip.IsLoopback() || ip.IsLinkLocalUnicast() || !ip.IsGlobalUnicast() {
			continue
		}
		usable = append(usable, ip)
	}
	return usable
}

// normalized returns n with DNS names lower-cased and without a trailing dot, IPv4-mapped
// addresses unmapped, zones dropped, and duplicates removed, keeping the order. DNS names
// that are not valid host names are left out and returned as rejected.
func (n Names) normalized() (valid Names, rejected []string) {
	for _, name := range n.DNS {
		clean, ok := cleanDNSName(name)
		if !ok {
			rejected = append(rejected, name)
			continue
		}
		if !slices.Contains(valid.DNS, clean) {
			valid.DNS = append(valid.DNS, clean)
		}
	}
	for _, ip := range n.IPs {
		ip = ip.Unmap().WithZone("")
		if ip.IsValid() && !slices.Contains(valid.IPs, ip) {
			valid.IPs = append(valid.IPs, ip)
		}
	}
	return valid, rejected
}

// cleanDNSName lower-cases name and drops a trailing dot. It reports false when the
// result is not a host name: dot-separated labels of letters, digits, hyphens and
// underscores, none empty, none over 63 characters, and none starting or ending with a
// hyphen.
func cleanDNSName(name string) (string, bool) {
	name = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(name)), ".")
	if name == "" || len(name) > 253 {
		return "", false
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 || strings.Trim(label, "-") != label {
			return "", false
		}
		if strings.IndexFunc(label, isNotHostRune) >= 0 {
			return "", false
		}
	}
	return name, true
}

// isNotHostRune reports whether r may not appear in a lower-case host name label.
func isNotHostRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
}

// subjects returns every name as a string: the DNS names first, then the IPs.
func (n Names) subjects() []string {
	out := slices.Clone(n.DNS)
	for _, ip := range n.IPs {
		out = append(out, ip.String())
	}
	return out
}

// netIPs converts the IPs to the form crypto/x509 uses.
func (n Names) netIPs() []net.IP {
	out := make([]net.IP, 0, len(n.IPs))
	for _, ip := range n.IPs {
		out = append(out, net.IP(ip.AsSlice()))
	}
	return out
}
