import { Check, Copy } from 'lucide-react';
import { toString as renderQrCode } from 'qrcode';
import { useEffect, useState } from 'react';
import { Dialog } from '../../ui/Dialog';
import { classifyAddress, serverAddress } from './phoneSetup';

/**
 * "Set up a phone": this server's address as a QR code for a phone's camera, and as text. When the
 * page was opened at a loopback or plain-HTTP address, it says what a phone needs instead.
 */
export function PhoneSetupDialog({ onClose }: { onClose: () => void }) {
  const url = new URL(window.location.href);
  const address = serverAddress(url);
  const kind = classifyAddress(url);
  const [svg, setSvg] = useState<string>();
  const [isCopied, setIsCopied] = useState(false);

  useEffect(() => {
    let isCurrent = true;
    renderQrCode(address, { type: 'svg', margin: 2, errorCorrectionLevel: 'M', color: { light: '#ffffff' } })
      .then((markup) => isCurrent && setSvg(markup))
      .catch((error: unknown) => console.error('QR code:', error));
    return () => {
      isCurrent = false;
    };
  }, [address]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(address);
      setIsCopied(true);
    } catch {
      // No clipboard (insecure page): the address is selectable text.
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      title="Set up a phone"
      description="Point your phone’s camera at the code to open Tributary there, then log in."
    >
      <div className="phone-setup">
        <div className="phone-setup-code">
          {svg ? (
            <img
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`}
              alt={`QR code of ${address}`}
              width={208}
              height={208}
            />
          ) : (
            <div className="skeleton phone-setup-placeholder" aria-hidden />
          )}
        </div>
        <div className="phone-setup-address">
          <code className="mono">{address}</code>
          <button type="button" className="btn btn-small" onClick={() => void copy()}>
            {isCopied ? <Check size={16} aria-hidden /> : <Copy size={16} aria-hidden />}
            {isCopied ? 'Copied' : 'Copy'}
          </button>
        </div>
        {kind === 'loopback' && (
          <div className="alert alert-info phone-setup-advice" role="note">
            <div>
              <p>
                <strong>This address only works on this computer.</strong> A phone needs the computer’s
                network address (like <span className="mono">https://192.168.1.20:3124</span>) and HTTPS.
              </p>
              <p>
                Start the server with <span className="mono">HOST=0.0.0.0</span> and a certificate (
                <span className="mono">TRIBUTARY_TLS_CERT</span> and{' '}
                <span className="mono">TRIBUTARY_TLS_KEY</span>
                ), or put it behind a reverse proxy with a real certificate. Then open Tributary at that
                address and come back here.
              </p>
            </div>
          </div>
        )}
        {kind === 'insecure' && (
          <div className="alert alert-info phone-setup-advice" role="note">
            <p>
              A phone can open this address, but only over <strong>HTTPS</strong> can it install Tributary and
              keep working offline. Give the server a certificate (
              <span className="mono">TRIBUTARY_TLS_CERT</span> and{' '}
              <span className="mono">TRIBUTARY_TLS_KEY</span>) or put it behind a reverse proxy.
            </p>
          </div>
        )}
        {kind === 'ready' && (
          <p className="muted">
            On the phone, choose “Install app” or “Add to Home Screen” in the browser’s menu: Tributary then
            opens like an app and keeps working without a connection.
          </p>
        )}
      </div>
    </Dialog>
  );
}
