import type { ReactNode } from 'react';

export interface PageHeaderProps {
  title: ReactNode;
  description?: ReactNode;
  icon?: ReactNode;
  actions?: ReactNode;
  breadcrumbs?: ReactNode;
}

/** The top of a page: one `h1`, an optional line of context and the page's main actions. */
export function PageHeader({ title, description, icon, actions, breadcrumbs }: PageHeaderProps) {
  return (
    <div>
      {breadcrumbs}
      <div className="page-header">
        {icon}
        <div className="page-header-text">
          <h1>{title}</h1>
          {description && <p>{description}</p>}
        </div>
        {actions && <div className="btn-group">{actions}</div>}
      </div>
    </div>
  );
}
