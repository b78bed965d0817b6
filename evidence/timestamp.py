"""RFC 3161 time-stamp requests and responses, with asn1crypto (and `cryptography` for the
signature check).

asn1crypto defines the RFC 3161 and CMS structures (TimeStampReq, TimeStampResp, TSTInfo,
SignedData); `cryptography` has no API for them. A request is made offline for each trace
entry (``NNNN.tsq``); the creator sends it to any time-stamp authority later and puts the
answer beside it (``NNNN.tsr``), e.g. ``curl -H 'Content-Type: application/timestamp-query'
--data-binary @0003.tsq URL > 0003.tsr``. Verifying checks that the response answers that
request (imprint and nonce) and that its signature is the certificate's it carries; whether
that authority is trusted is the court's question, so the signer is named, not judged.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from asn1crypto import cms, tsp
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509 import load_der_x509_certificate

_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


class TimestampError(ValueError):
    pass


@dataclass(frozen=True)
class Stamp:
    time: str        # the authority's genTime, ISO 8601 UTC
    authority: str   # the signing certificate's subject


def request(digest: bytes) -> bytes:
    """A DER TimeStampReq for a SHA-256 digest, with a random nonce, asking for the certificate."""
    return tsp.TimeStampReq({
        "version": "v1",
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": digest},
        "nonce": secrets.randbits(63),
        "cert_req": True,
    }).dump()


def _verify_signature(cert_der: bytes, signer: cms.SignerInfo, signed: bytes) -> None:
    public = load_der_x509_certificate(cert_der).public_key()
    sig = signer["signature"].native
    algo = signer["signature_algorithm"].signature_algo
    hash_name = signer["digest_algorithm"]["algorithm"].native
    if hash_name not in _HASHES:
        raise TimestampError(f"unsupported digest {hash_name}")
    h = _HASHES[hash_name]()
    try:
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(sig, signed, padding.PKCS1v15(), h)
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(sig, signed, ec.ECDSA(h))
        elif isinstance(public, ed25519.Ed25519PublicKey):
            public.verify(sig, signed)
        else:
            raise TimestampError(f"unsupported key for {algo}")
    except InvalidSignature:
        raise TimestampError("the time-stamp signature does not verify") from None


def verify(request_der: bytes, response_der: bytes) -> Stamp:
    """Check that `response_der` is a granted, correctly signed answer to `request_der`."""
    try:
        req = tsp.TimeStampReq.load(request_der)
        resp = tsp.TimeStampResp.load(response_der)
        status = resp["status"]["status"].native
        if status not in ("granted", "granted_with_mods"):
            raise TimestampError(f"the authority answered '{status}'")
        signed_data = resp["time_stamp_token"]["content"]
        content = signed_data["encap_content_info"]
        if content["content_type"].native != "tst_info":
            raise TimestampError("the token does not hold a TSTInfo")
        info = content["content"].parsed
        if info["message_imprint"].dump() != req["message_imprint"].dump():
            raise TimestampError("the response time-stamps another digest than the request")
        if req["nonce"].native is not None and info["nonce"].native != req["nonce"].native:
            raise TimestampError("the response's nonce differs from the request's")
        signer = signed_data["signer_infos"][0]
        attrs = {a["type"].native: a["values"][0] for a in signer["signed_attrs"]}
        econtent = content["content"].contents
        hash_name = signer["digest_algorithm"]["algorithm"].native
        if attrs.get("message_digest") is None or \
                attrs["message_digest"].native != hashlib.new(hash_name, econtent).digest():
            raise TimestampError("the signed digest does not match the TSTInfo")
        sid = signer["sid"]
        certs = [c.chosen for c in signed_data["certificates"] or []]
        cert = next((c for c in certs if sid.name == "issuer_and_serial_number"
                     and c.issuer == sid.chosen["issuer"] and c.serial_number == sid.chosen["serial_number"].native),
                    certs[0] if certs else None)
        if cert is None:
            raise TimestampError("the response carries no signing certificate")
        if "time_stamping" not in (cert.extended_key_usage_value.native if cert.extended_key_usage_value else []):
            raise TimestampError("the signing certificate is not for time-stamping")
        _verify_signature(cert.dump(), signer, _as_set(signer["signed_attrs"]))
        return Stamp(info["gen_time"].native.strftime("%Y-%m-%dT%H:%M:%SZ"), cert.subject.human_friendly)
    except TimestampError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise TimestampError(f"malformed time-stamp data ({exc})") from None


def _as_set(attrs: cms.CMSAttributes) -> bytes:
    # RFC 5652 5.4: the signature covers the DER of the attributes with a SET OF tag (0x31)
    der = attrs.dump()
    return b"\x31" + der[1:]

