"""Sample evidence files, made the way the tools make them (for the evidence tests).

Each writer follows the tool's published format: A1111/Forge and ComfyUI and NovelAI PNG text
chunks, an EXIF UserComment, an XMP packet with an IPTC DigitalSourceType, a C2PA manifest
signed by c2pa-python with a certificate made here, a ChatGPT export, a CSV of prompts.
"""
from __future__ import annotations

import datetime
import io
import json
import zipfile
import zlib
from pathlib import Path

import c2pa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

A1111 = ("a crystal cat pendant, pink diamonds, studio lighting, macro photo\n"
         "Negative prompt: blurry, lowres\n"
         'Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234567, Size: 512x512, '
         'Model hash: 31e35c80fc, Model: sd_xl_base_1.0, Lora hashes: "cat: abc, gem: def"')

COMFY_PROMPT = {
    "3": {"class_type": "KSampler", "inputs": {"seed": 42, "steps": 25, "cfg": 6.5, "sampler_name": "euler",
                                               "scheduler": "normal", "denoise": 1.0, "model": ["4", 0],
                                               "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
    "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"}},
    "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512, "batch_size": 4}},
    "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a crystal cat pendant on velvet", "clip": ["4", 1]}},
    "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "watermark, text", "clip": ["4", 1]}},
    "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
    "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}},
}
COMFY_WORKFLOW = {"last_node_id": 9, "nodes": [{"id": i, "type": n["class_type"]} for i, n in COMFY_PROMPT.items()]}

XMP_AI = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
          '<rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
          'Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/'
          'trainedAlgorithmicMedia"/></rdf:RDF></x:xmpmeta>')


def picture(seed: int = 0, size: int = 96) -> Image.Image:
    """A small picture with some structure, different for each seed."""
    img = Image.new("RGB", (size, size), (240 - seed * 20 % 200, 200, 220))
    d = ImageDraw.Draw(img)
    for k in range(6):
        x = (seed * 37 + k * 29) % size
        y = (seed * 53 + k * 17) % size
        d.ellipse([x - 12, y - 12, x + 12, y + 12], fill=((k * 40 + seed * 9) % 256, 30, 120))
    d.rectangle([size // 4, size // 3, size // 2, size // 2 + seed % 20], outline=(10, 10, 10), width=3)
    return img


def png(path: Path, text: dict[str, str] | None = None, seed: int = 0) -> Path:
    info = PngInfo()
    for k, v in (text or {}).items():
        info.add_itxt(k, v) if not v.isascii() or k == "XML:com.adobe.xmp" else info.add_text(k, v)
    picture(seed).save(path, "PNG", pnginfo=info)
    return path


def a1111_png(path: Path, seed: int = 0) -> Path:
    return png(path, {"parameters": A1111}, seed)


def comfyui_png(path: Path, seed: int = 1) -> Path:
    return png(path, {"prompt": json.dumps(COMFY_PROMPT), "workflow": json.dumps(COMFY_WORKFLOW)}, seed)


def novelai_png(path: Path, seed: int = 2) -> Path:
    comment = {"prompt": "1cat, crystal pendant, sparkle", "steps": 28, "scale": 5.0, "seed": 98765,
               "sampler": "k_euler_ancestral", "uc": "lowres, bad anatomy", "n_samples": 1}
    return png(path, {"Title": "AI generated image", "Description": "1cat, crystal pendant, sparkle",
                      "Software": "NovelAI", "Source": "NovelAI Diffusion V3 4BDE2A90",
                      "Comment": json.dumps(comment)}, seed)


def exif_jpeg(path: Path, seed: int = 3) -> Path:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9286] = b"UNICODE\0" + A1111.encode("utf-16-be")
    picture(seed).save(path, "JPEG", exif=exif, quality=90)
    return path


def xmp_png(path: Path, seed: int = 4) -> Path:
    return png(path, {"XML:com.adobe.xmp": XMP_AI}, seed)


def test_certificates() -> tuple[bytes, bytes]:
    """A test CA and a signing certificate under it (PEM chain, PEM private key) for C2PA."""
    now = datetime.datetime.now(datetime.timezone.utc)

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Assessor tests")])

    def usage(**on):
        flags = dict.fromkeys(("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
                               "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"), False)
        return x509.KeyUsage(**{**flags, **on})

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    base = lambda subject, issuer, public: (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
                                            .public_key(public).serial_number(x509.random_serial_number())
                                            .not_valid_before(now - datetime.timedelta(days=1))
                                            .not_valid_after(now + datetime.timedelta(days=30)))
    ca = (base(name("Test CA"), name("Test CA"), ca_key.public_key())
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(usage(digital_signature=True, key_cert_sign=True, crl_sign=True), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (base(name("Test generator"), ca.subject, key.public_key())
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage(digital_signature=True), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    chain = leaf.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return chain, pem


def c2pa_png(path: Path, seed: int = 5, edited: bool = False) -> Path:
    """A PNG with a C2PA manifest: created by a generative tool (trainedAlgorithmicMedia)."""
    actions = [{"action": "c2pa.created",
                "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"}]
    if edited:
        actions.append({"action": "c2pa.edited"})
    manifest = {"claim_generator_info": [{"name": "TestDiffusion", "version": "2.1"}], "title": path.name,
                "assertions": [{"label": "c2pa.actions", "data": {"actions": actions}}]}
    chain, key = test_certificates()
    source = io.BytesIO()
    picture(seed).save(source, "PNG")
    source.seek(0)
    out = io.BytesIO()
    c2pa.Builder(manifest).sign(c2pa.Signer.from_info(c2pa.C2paSignerInfo(b"es256", chain, key, None)),
                                "image/png", source, out)
    path.write_bytes(out.getvalue())
    return path


def tampered_c2pa_png(path: Path, signed: Path) -> Path:
    """The signed image with a text chunk added after signing, as any editor could: still a
    good PNG, but the bytes the manifest's hash covers have changed."""
    data = signed.read_bytes()
    iend = data.rfind(b"IEND") - 4
    body = b"tEXt" + b"Comment\0retouched"
    chunk = (len(body) - 4).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    path.write_bytes(data[:iend] + chunk + data[iend:])
    return path


def broken_manifest_png(path: Path, signed: Path) -> Path:
    """The signed image with its manifest chunk (caBX) garbled, the chunk's CRC fixed so the
    PNG itself stays readable: the manifest no longer parses."""
    data = bytearray(signed.read_bytes())
    at = data.find(b"caBX")
    length = int.from_bytes(data[at - 4:at], "big")
    data[at + 40:at + 120] = b"x" * 80
    data[at + 4 + length:at + 8 + length] = zlib.crc32(bytes(data[at:at + 4 + length])).to_bytes(4, "big")
    path.write_bytes(bytes(data))
    return path


def conversations(images: bool = True) -> list[dict]:
    def node(nid, parent, role, t, parts, ctype="text"):
        return {"id": nid, "parent": parent, "children": [],
                "message": {"id": nid, "author": {"role": role}, "create_time": t,
                            "content": {"content_type": ctype, "parts": parts}}}

    image = {"content_type": "image_asset_pointer", "asset_pointer": "file-service://file-abc",
             "width": 1024, "height": 1024,
             "metadata": {"dalle": {"gen_id": "g1", "prompt": "A crystal cat pendant with pink diamonds, macro",
                                    "seed": 1234}}}
    mapping = {
        "a": node("a", None, "user", 1696150000.0, ["Draw a crystal cat pendant, pink diamonds, macro photo"]),
        "b": node("b", "a", "tool", 1696150030.0, [image] if images else ["(no image)"], "multimodal_text"),
        "c": node("c", "b", "user", 1696150100.0, ["Make the diamonds smaller and the light warmer"]),
    }
    other = {"x": node("x", None, "user", 1696000000.0, ["What is copyright?"])}
    return [{"title": "Cat pendant", "create_time": 1696150000.0, "mapping": mapping},
            {"title": "Questions", "create_time": 1696000000.0, "mapping": other}]


def chatgpt_json(path: Path) -> Path:
    path.write_text(json.dumps(conversations()), encoding="utf-8")
    return path


def chatgpt_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("conversations.json", json.dumps(conversations()))
        zf.writestr("chat.html", "<html></html>")
    return path


def zip_bomb(path: Path, megabytes: int = 300) -> Path:
    """A zip whose conversations.json inflates from about 300 KB to hundreds of megabytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("conversations.json", "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(megabytes):
                f.write(block)
    return path


def prompts_csv(path: Path) -> Path:
    path.write_text("timestamp,prompt,params,output\n"
                    "2023-05-02 10:01,crystal cat pendant,seed=1,c1.png\n"
                    "2023-05-02 10:07,\"crystal cat pendant, pink diamonds\",seed=2,c2.png\n"
                    "2023-05-02 10:15,\"crystal cat pendant, pink diamonds, warm light\",seed=2 cfg=8,c3.png\n",
                    encoding="utf-8")
    return path
