import {
  Activity,
  BookOpen,
  Bug,
  ClipboardList,
  Cpu,
  Gauge,
  Heart,
  Hash,
  House,
  Lightbulb,
  MapPin,
  Smartphone,
  Star,
  Thermometer,
  ToggleLeft,
  User,
  Waves,
  type LucideIcon,
} from 'lucide-react';
import { iconImageSource, materialIconName } from './iconSource';

/**
 * Material icon names used by ConnectorDB's objects and templates, drawn with the closest Lucide icon.
 * Unknown names fall back to the kind's default rather than to an empty box.
 */
const MATERIAL: Record<string, LucideIcon> = {
  star: Star,
  star_border: Star,
  library_books: BookOpen,
  book: BookOpen,
  person: User,
  account_circle: User,
  bug_report: Bug,
  assignment: ClipboardList,
  phone_android: Smartphone,
  smartphone: Smartphone,
  devices: Cpu,
  memory: Cpu,
  toggle_on: ToggleLeft,
  toggle_off: ToggleLeft,
  lightbulb_outline: Lightbulb,
  lightbulb: Lightbulb,
  home: House,
  favorite: Heart,
  directions_run: Activity,
  place: MapPin,
  location_on: MapPin,
  ac_unit: Thermometer,
  whatshot: Thermometer,
  show_chart: Gauge,
  timeline: Gauge,
};

export type IconKind = 'user' | 'device' | 'stream' | 'rating' | 'number' | 'toggle' | 'diary';

const BY_KIND: Record<IconKind, LucideIcon> = {
  user: User,
  device: Cpu,
  stream: Waves,
  rating: Star,
  number: Hash,
  toggle: ToggleLeft,
  diary: BookOpen,
};

export interface ObjectIconProps {
  /** The object's `icon`: `material:<name>`, a base64 image, or ''. */
  icon: string;
  kind: IconKind;
  size?: 'md' | 'lg';
}

/** The icon of a user, device or stream; decorative, since its name is always shown beside it. */
export function ObjectIcon({ icon, kind, size = 'md' }: ObjectIconProps) {
  const className = size === 'lg' ? 'object-icon object-icon-lg' : 'object-icon';
  const image = iconImageSource(icon);
  if (image) {
    return (
      <span className={className} aria-hidden>
        <img src={image} alt="" />
      </span>
    );
  }
  const name = materialIconName(icon);
  const Icon = (name && MATERIAL[name]) || BY_KIND[kind];
  return (
    <span className={className} aria-hidden>
      <Icon size={size === 'lg' ? 28 : 20} strokeWidth={2} />
    </span>
  );
}
